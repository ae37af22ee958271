using System.Security.Cryptography;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FrameEvaluationTests(TinyFrameBundle bundle) : IClassFixture<TinyFrameBundle>
{
    [Fact]
    public void A_mosaic_records_the_class_of_the_image_in_every_cell()
    {
        var images = FrameTestData.Test;
        var labelsByPixels = new Dictionary<string, HashSet<int>>();
        for (var i = 0; i < images.Count; i++)
        {
            var key = Convert.ToHexString(SHA256.HashData(images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize)));
            if (!labelsByPixels.TryGetValue(key, out var labels)) labelsByPixels[key] = labels = [];
            labels.Add(images.Labels[i]);
        }
        var mosaics = new MosaicFrames(images, TinyFrameBundle.NormalClass, 3, 3);
        var random = new Random(5);
        foreach (var kind in new MosaicAnomaly?[] { null, MosaicAnomaly.Foreign, MosaicAnomaly.Noisy })
        {
            var mosaic = mosaics.Build(random, kind, anomalousCells: 2);
            for (var c = 0; c < 9; c++)
            {
                var cell = new byte[images.ImageSize];
                for (var y = 0; y < images.Rows; y++)
                    mosaic.Frame.Pixels.AsSpan((c / 3 * images.Rows + y) * mosaic.Frame.Width + c % 3 * images.Cols, images.Cols)
                        .CopyTo(cell.AsSpan(y * images.Cols));
                var foreign = kind == MosaicAnomaly.Foreign && mosaic.AnomalousCells[c];
                Assert.Equal(foreign, mosaic.CellClasses[c] != TinyFrameBundle.NormalClass);
                // A noisy cell's pixels match no image; an untouched one matches an image of the recorded class.
                if (kind != MosaicAnomaly.Noisy || !mosaic.AnomalousCells[c])
                    Assert.Contains(mosaic.CellClasses[c], labelsByPixels[Convert.ToHexString(SHA256.HashData(cell))]);
            }
            var expected = kind == MosaicAnomaly.Foreign
                ? Enumerable.Range(0, 9).Where(c => mosaic.AnomalousCells[c]).Select(c => mosaic.CellClasses[c]).Distinct().ToArray()
                : [];
            Assert.Equal(expected, mosaic.ForeignClasses);
        }
    }

    [Fact]
    public void The_evaluation_breaks_foreign_frames_down_by_class_with_frame_and_tile_auroc()
    {
        using var detector = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        var mosaics = new MosaicFrames(FrameTestData.Test, TinyFrameBundle.NormalClass, 2, 2);
        var result = new FrameEvaluation(detector, mosaics).Run(framesPerClass: 60, [MosaicAnomaly.Foreign, MosaicAnomaly.UpsideDown], anomalousCells: 1, seed: 3);

        Assert.Equal(30, result.ByForeignClass.Sum(c => c.Frames)); // one foreign cell per foreign frame, each counted once
        Assert.DoesNotContain(result.ByForeignClass, c => c.Class == TinyFrameBundle.NormalClass);
        Assert.Equal(result.ByForeignClass.Select(c => c.Class).Order(), result.ByForeignClass.Select(c => c.Class));
        Assert.All(result.ByForeignClass, c =>
        {
            Assert.InRange(c.Auroc, 0, 1);
            Assert.InRange(c.TileAuroc, 0, 1);
            Assert.InRange(c.Localisation, 0, 1);
        });
        // Bags, sandals and boots are nothing like trousers even to a one-epoch network.
        var bag = Assert.Single(result.ByForeignClass, c => c.Class == TinyFrameBundle.ForeignClass);
        Assert.True(bag.TileAuroc >= 0.9, $"bag tile AUROC {bag.TileAuroc:F3}");
    }
}
