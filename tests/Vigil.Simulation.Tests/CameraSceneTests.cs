namespace Vigil.Simulation.Tests;

/// <summary>A simulated camera watches one scene: what changes between its frames is noise, light, moved objects and anomalies.</summary>
public sealed class CameraSceneTests
{
    private static readonly FrameMosaics Images = FrameMosaics.Load(TestRepo.SharedData("fashion-mnist"));

    /// <summary>Mean absolute difference of each of the 16 cells of two frames.</summary>
    private static double[] CellDifferences(byte[] a, byte[] b)
    {
        var sums = new double[FrameMosaics.Grid * FrameMosaics.Grid];
        for (var p = 0; p < a.Length; p++)
        {
            int y = p / FrameMosaics.Size, x = p % FrameMosaics.Size;
            sums[y / FrameMosaics.Tile * FrameMosaics.Grid + x / FrameMosaics.Tile] += Math.Abs(a[p] - b[p]);
        }
        return sums.Select(s => s / (FrameMosaics.Tile * FrameMosaics.Tile)).ToArray();
    }

    [Fact]
    public void Frames_of_one_scene_differ_by_noise_and_light_far_less_than_two_scenes_do()
    {
        var random = new Random(1);
        var scene = Images.NewScene(new Random(2));
        var first = scene.Frame(random, anomalous: false);
        var second = scene.Frame(random, anomalous: false);
        var other = Images.NewScene(new Random(3)).Frame(random, anomalous: false);

        Assert.Equal(FrameMosaics.Size * FrameMosaics.Size, first.Length);
        Assert.NotEqual(first, second); // noise and light
        var same = CellDifferences(first, second).Max();
        var apart = CellDifferences(first, other).Average();
        Assert.True(same < apart / 3, $"the same scene's frames differ by up to {same:F1} grey levels per cell, two scenes by {apart:F1}");
    }

    [Fact]
    public void An_anomaly_is_one_foreign_object_in_one_place_until_it_ends()
    {
        var random = new Random(1);
        var scene = Images.NewScene(new Random(2));
        var calm = scene.Frame(random, anomalous: false);
        var during = Enumerable.Range(0, 3).Select(_ => scene.Frame(random, anomalous: true)).ToArray();
        var after = scene.Frame(random, anomalous: false);
        Assert.Equal(0, scene.Moves); // 1 in 360 frames: none in these five with this seed

        var changedCells = during.Select(f => CellDifferences(calm, f)).Select(d => Enumerable.Range(0, d.Length).Where(c => d[c] > 15).ToArray()).ToArray();
        var cell = Assert.Single(changedCells[0]);
        Assert.All(changedCells, c => Assert.Equal([cell], c));
        // The same foreign image in every anomalous frame: they differ from each other by noise and light only.
        Assert.True(CellDifferences(during[0], during[2])[cell] < 15);
        Assert.All(CellDifferences(calm, after), d => Assert.True(d < 15, $"a cell still differs by {d:F1} after the anomaly"));
    }

    [Fact]
    public void Objects_are_moved_about_once_in_360_frames_and_a_seed_repeats_the_scene()
    {
        var scene = Images.NewScene(new Random(5));
        var random = new Random(6);
        for (var i = 0; i < 36_000; i++) scene.Frame(random, anomalous: false);
        Assert.InRange(scene.Moves, 70, 130); // binomial, mean 100, spread 10

        Assert.Equal(Images.NewScene(new Random(7)).Frame(new Random(8), false), Images.NewScene(new Random(7)).Frame(new Random(8), false));
    }
}
