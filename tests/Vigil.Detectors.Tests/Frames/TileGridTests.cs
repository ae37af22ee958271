using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Tests.Frames;

public sealed class TileGridTests
{
    [Fact]
    public void Exact_grid_without_overlap_gives_equal_adjacent_tiles()
    {
        var tiles = new TileGrid(4, 4).Layout(112, 112);
        Assert.Equal(16, tiles.Length);
        Assert.Equal(new TileRect(0, 0, 28, 28), tiles[0]);
        Assert.Equal(new TileRect(28, 0, 28, 28), tiles[1]);
        Assert.Equal(new TileRect(0, 28, 28, 28), tiles[4]);
        Assert.Equal(new TileRect(84, 84, 28, 28), tiles[15]);
    }

    [Theory]
    [InlineData(113, 101, 4, 3, 0.0)]
    [InlineData(97, 97, 4, 4, 0.0)]
    [InlineData(100, 60, 2, 3, 0.5)]
    [InlineData(31, 17, 5, 2, 0.25)]
    [InlineData(7, 7, 7, 7, 0.0)]
    public void Odd_sizes_and_overlap_cover_every_pixel_and_stay_inside(int width, int height, int rows, int cols, double overlap)
    {
        var grid = new TileGrid(rows, cols, overlap);
        var tiles = grid.Layout(width, height);
        var covered = new bool[width * height];
        foreach (var t in tiles)
        {
            Assert.InRange(t.X, 0, width - 1);
            Assert.InRange(t.Y, 0, height - 1);
            Assert.True(t.X + t.Width <= width && t.Y + t.Height <= height, $"{t} leaves the {width}x{height} frame");
            Assert.Equal(tiles[0].Width, t.Width);
            Assert.Equal(tiles[0].Height, t.Height);
            for (var y = t.Y; y < t.Y + t.Height; y++)
                for (var x = t.X; x < t.X + t.Width; x++)
                    covered[y * width + x] = true;
        }
        Assert.All(covered, Assert.True);
        // First tile at the top-left edge, last one flush with the bottom-right edge.
        Assert.Equal((0, 0), (tiles[0].X, tiles[0].Y));
        Assert.Equal(width, tiles[^1].X + tiles[^1].Width);
        Assert.Equal(height, tiles[^1].Y + tiles[^1].Height);
    }

    [Fact]
    public void Overlap_makes_neighbours_share_the_requested_share()
    {
        var tiles = new TileGrid(1, 2, 0.5).Layout(90, 30);
        // Two tiles of 60 px, the second starting at 30: they share 30 px = half a tile.
        Assert.Equal(new TileRect(0, 0, 60, 30), tiles[0]);
        Assert.Equal(new TileRect(30, 0, 60, 30), tiles[1]);
    }

    [Fact]
    public void A_frame_smaller_than_the_grid_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new TileGrid(4, 4).Layout(3, 100));
        Assert.Contains("3 px wide", e.Message);
    }

    [Theory]
    [InlineData("4x4", 4, 4)]
    [InlineData("2X3", 2, 3)]
    [InlineData(" 1x8 ", 1, 8)]
    public void Grid_text_parses(string text, int rows, int cols)
    {
        var grid = TileGrid.Parse(text);
        Assert.Equal((rows, cols), (grid.Rows, grid.Cols));
    }

    [Theory]
    [InlineData("4by4")]
    [InlineData("4x")]
    [InlineData("-1x4")]
    public void Bad_grid_text_is_refused(string text) => Assert.Throws<FormatException>(() => TileGrid.Parse(text));

    [Fact]
    public void Impossible_grids_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileGrid(0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TileGrid(4, 4, 0.95));
    }
}
