using SkiaSharp;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Frames;

/// <summary>Writes a frame as PNG with its tile heat map overlaid (red, opacity = tile score) and the top tile boxed.</summary>
public static class HeatMapImage
{
    public static void WritePng(string path, GreyFrame frame, TileGrid grid, FrameScore score, int scale = 4, IReadOnlyList<bool>? truth = null)
    {
        var info = new SKImageInfo(frame.Width * scale, frame.Height * scale, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        using (var grey = new SKBitmap(new SKImageInfo(frame.Width, frame.Height, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            System.Runtime.InteropServices.Marshal.Copy(frame.Pixels, 0, grey.GetPixels(), frame.Pixels.Length);
            using var image = SKImage.FromBitmap(grey);
            canvas.DrawImage(image, SKRect.Create(info.Width, info.Height), new SKSamplingOptions(SKFilterMode.Nearest));
        }
        var tiles = grid.Layout(frame.Width, frame.Height);
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        using var box = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 3, Color = SKColors.Yellow };
        using var truthBox = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 2, Color = SKColors.Cyan, PathEffect = SKPathEffect.CreateDash([6, 4], 0) };
        for (var i = 0; i < tiles.Length; i++)
        {
            var t = tiles[i];
            var rect = SKRect.Create(t.X * scale, t.Y * scale, t.Width * scale, t.Height * scale);
            fill.Color = new SKColor(255, 0, 0, (byte)Math.Round(Math.Clamp(score.HeatMap[i], 0, 1) * 160));
            canvas.DrawRect(rect, fill);
            if (truth is not null && truth[i]) canvas.DrawRect(rect, truthBox);
        }
        var top = tiles[score.TopTile];
        canvas.DrawRect(SKRect.Create(top.X * scale, top.Y * scale, top.Width * scale, top.Height * scale), box);

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        var temp = path + ".tmp";
        using (var file = File.Create(temp)) png.SaveTo(file);
        File.Move(temp, path, overwrite: true);
    }
}
