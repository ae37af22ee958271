using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using SkiaSharp;
using Xunit.Abstractions;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>The hostile inputs that need a targeted test: a slow-loris body, decompression bombs, truncated images.</summary>
[Collection(SiloCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class SlowAndBombTests(SiloFixture silo, ITestOutputHelper output)
{
    private static ByteArrayContent Image(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static string FrameUrl() => $"/v1/homes/{UniqueId("home")}/cameras/door/frames";

    [Fact]
    public async Task A_png_declaring_100000_by_100000_is_refused_by_its_declared_size_before_decoding()
    {
        var bomb = ImageBytes.Png(100_000, 100_000);
        var clock = Stopwatch.StartNew();

        var detail = await AssertProblemAsync(await silo.Client.PostAsync(FrameUrl(), Image(bomb, "image/png")), HttpStatusCode.BadRequest);

        output.WriteLine($"{bomb.Length}-byte PNG declaring 100000x100000: 400 in {clock.ElapsedMilliseconds} ms: {detail}");
        Assert.True(bomb.Length < 1024, $"the bomb is {bomb.Length} bytes");
        Assert.Contains("100000x100000 is over the limit", detail);
    }

    [Fact]
    public async Task A_jpeg_whose_header_declares_60000_by_60000_is_refused_by_its_declared_size()
    {
        var detail = await AssertProblemAsync(
            await silo.Client.PostAsync(FrameUrl(), Image(ImageBytes.JpegDeclaring(60_000, 60_000), "image/jpeg")), HttpStatusCode.BadRequest);
        Assert.Contains("60000x60000 is over the limit", detail);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task Images_cut_short_are_400_at_every_cut(string format)
    {
        var whole = ImageBytes.Encode(format == "png" ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg);
        var end = format == "png" ? ImageBytes.PngHalfOfPixelData(whole) : whole.Length / 2;
        for (var cut = 0; cut < end; cut += Math.Max(1, end / 40))
        {
            await AssertProblemAsync(await silo.Client.PostAsync(FrameUrl(), Image(whole[..cut], $"image/{format}")), HttpStatusCode.BadRequest);
        }
    }

    /// <summary>
    /// Slow loris: a client that declares a body and then trickles it. Kestrel's minimum body data rate (240 B/s after
    /// a 5 s grace, HttpHosting) cuts it off; the handler sees that as a refused body, not as an unhandled exception.
    /// </summary>
    [Fact]
    public async Task A_body_trickled_slowly_is_cut_off_within_seconds_without_an_error_log()
    {
        var logs = LogCapture.AttachTo(silo);
        logs.Start();
        var server = silo.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append("POST /v1/readings HTTP/1.1\r\n")
            .Append(CultureInfo($"Host: {server.Authority}\r\n"))
            .Append("Content-Type: application/x-ndjson\r\n")
            .Append("Content-Length: 50000\r\n"); // under the 64 KB bulk limit: only its pace is wrong
        foreach (var header in silo.Client.DefaultRequestHeaders)
        {
            head.Append(CultureInfo($"{header.Key}: {string.Join(",", header.Value)}\r\n"));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        var clock = Stopwatch.StartNew();
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();
        var cutOff = false;
        // One byte every 200 ms (5 B/s), for at most 30 s; the server should end it well before.
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (read.IsCompleted)
            {
                var n = read.IsFaulted ? 0 : await read; // a reset is as much a cut-off as a close
                if (n == 0)
                {
                    cutOff = true;
                    break;
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, n));
                read = stream.ReadAsync(buffer).AsTask();
                continue;
            }

            try
            {
                await stream.WriteAsync("\n"u8.ToArray());
            }
            catch (IOException)
            {
                cutOff = true;
                break;
            }

            await Task.WhenAny(read, Task.Delay(200));
        }

        var elapsed = clock.Elapsed;
        await Task.Delay(500); // lets the handler finish and log, if it were going to
        logs.Stop();
        output.WriteLine($"slow body cut off after {elapsed.TotalSeconds:0.0} s; answer: {answer.ToString().Split("\r\n")[0]}");
        Assert.True(cutOff, $"the server was still reading a 5 B/s body after {elapsed.TotalSeconds:0} s");
        Assert.DoesNotContain("413", answer.ToString().Split("\r\n")[0]);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
        Assert.True(logs.Entries.Count == 0, "error-level log entries:\n" + string.Join("\n", logs.Entries));
    }

    private static string CultureInfo(FormattableString s) => FormattableString.Invariant(s);
}
