using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Tests.Frames;

public sealed class TileScalerTests
{
    [Fact]
    public void Same_size_copies_pixels_as_unit_values()
    {
        var frame = FrameTestData.Pattern(10, 10, (x, y) => x * 20 + y);
        var output = new float[16];
        TileScaler.Resample(frame, new TileRect(3, 2, 4, 4), 4, output);
        for (var y = 0; y < 4; y++)
            for (var x = 0; x < 4; x++)
                Assert.Equal(frame[3 + x, 2 + y] / 255f, output[y * 4 + x], 6);
    }

    [Fact]
    public void Halving_averages_each_two_by_two_block()
    {
        var frame = FrameTestData.Pattern(4, 4, (x, y) => (x + 4 * y) * 10);
        var output = new float[4];
        TileScaler.Resample(frame, new TileRect(0, 0, 4, 4), 2, output);
        Assert.Equal((0 + 10 + 40 + 50) / 4f / 255f, output[0], 5);
        Assert.Equal((100 + 110 + 140 + 150) / 4f / 255f, output[3], 5);
    }

    [Theory]
    [InlineData(28, 28, 32)]  // enlarge
    [InlineData(37, 23, 28)]  // odd shrink, different per axis
    [InlineData(3, 5, 2)]
    [InlineData(1, 1, 8)]
    public void A_flat_tile_stays_flat_at_any_scale(int w, int h, int size)
    {
        var frame = FrameTestData.Pattern(w, h, (_, _) => 200);
        var output = new float[size * size];
        TileScaler.Resample(frame, new TileRect(0, 0, w, h), size, output);
        Assert.All(output, v => Assert.Equal(200 / 255f, v, 5));
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(37, 28)]
    [InlineData(5, 3)]
    [InlineData(3, 7)]
    [InlineData(1, 4)]
    public void Kernel_weights_sum_to_one_and_stay_inside_the_source(int source, int output)
    {
        foreach (var (first, weights) in TileScaler.Kernel(source, output))
        {
            Assert.Equal(1f, weights.Sum(), 5);
            Assert.InRange(first, 0, source - 1);
            Assert.True(first + weights.Length <= source);
        }
    }

    [Fact]
    public void Enlarging_a_ramp_keeps_it_monotonic_and_within_range()
    {
        var frame = FrameTestData.Pattern(5, 1, (x, _) => x * 50);
        var output = new float[12 * 12];
        TileScaler.Resample(frame, new TileRect(0, 0, 5, 1), 12, output);
        for (var x = 1; x < 12; x++) Assert.True(output[x] >= output[x - 1]);
        Assert.Equal(0f, output[0], 5);
        Assert.Equal(200 / 255f, output[11], 5);
    }

    [Fact]
    public void A_tile_outside_the_frame_is_refused() =>
        Assert.Throws<ArgumentException>(() => TileScaler.Resample(FrameTestData.Pattern(10, 10, (_, _) => 0), new TileRect(5, 5, 6, 6), 4, new float[16]));

    [Fact]
    public void Tiler_writes_every_tile_in_row_major_order()
    {
        // 2x2 grid over a 4x4 frame whose quadrants are 0, 60, 120, 180.
        var frame = FrameTestData.Pattern(4, 4, (x, y) => (x / 2 + 2 * (y / 2)) * 60);
        var output = new float[4 * 4];
        FrameTiler.Extract(frame, new TileGrid(2, 2), 2, output);
        for (var t = 0; t < 4; t++)
            Assert.All(output.AsSpan(t * 4, 4).ToArray(), v => Assert.Equal(t * 60 / 255f, v, 5));
    }
}
