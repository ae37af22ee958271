namespace Vigil.Simulation.Tests;

public sealed class FrameMosaicsTests
{
    [Fact]
    public void Frames_from_real_images_have_the_mosaic_size_and_an_anomaly_changes_one_tile_class()
    {
        var mosaics = FrameMosaics.Load(TestRepo.SharedData("fashion-mnist"));
        var frame = mosaics.Frame(new Random(1), anomalous: false);
        Assert.Equal(FrameMosaics.Size * FrameMosaics.Size, frame.Length);
        Assert.Contains(frame, b => b > 0);
        Assert.Equal(frame.Length, mosaics.Frame(new Random(1), anomalous: true).Length);
    }

    [Fact]
    public void Without_the_data_set_frames_are_synthetic_but_valid()
    {
        var mosaics = FrameMosaics.Load("/nonexistent");
        var normal = mosaics.Frame(new Random(1), anomalous: false);
        var odd = mosaics.Frame(new Random(1), anomalous: true);
        Assert.Equal(normal.Length, odd.Length);
        Assert.NotEqual(normal, odd);
    }
}
