using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>One test per crash or wrong answer the fuzz run found, so each fix stays fixed.</summary>
[Collection(SiloCollection.Name)]
public sealed class HostileInputRegressionTests(SiloFixture silo)
{
    private readonly HttpClient _client = silo.Client;

    /// <summary>JSON may escape a lone surrogate; System.Text.Json then refuses to turn it into a string (InvalidOperationException).</summary>
    [Theory]
    [InlineData("{\"readings\":[{\"t\":\"\\ud800\",\"v\":1}]}", "readings[0].t")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":\"\\udc00\"}]}", "readings[0].v")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":[1,\"\\ud800\"]}]}", "readings[0].v[1]")]
    public async Task A_lone_surrogate_in_a_reading_is_400_not_500(string json, string where)
    {
        var detail = await AssertProblemAsync(
            await _client.PostAsync($"/v1/homes/{UniqueId("home")}/devices/temp/readings", Json(json)), HttpStatusCode.BadRequest);
        Assert.Contains(where, detail);
    }

    [Theory]
    [InlineData("{\"home\":\"h\\ud800\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}", "line 2: \"home\"")]
    [InlineData("{\"home\":\"h\",\"device\":\"\\udfff\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}", "line 2: \"device\"")]
    public async Task A_lone_surrogate_in_a_bulk_id_is_400_naming_the_line(string line, string expected)
    {
        var detail = await AssertProblemAsync(await _client.PostNdjsonAsync("\n" + line + "\n"), HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail);
    }

    /// <summary>A frame's <c>?t=</c> follows the readings' rule: ISO 8601 with an offset, never a bare date read in the silo's zone.</summary>
    [Theory]
    [InlineData("2026-11-22")]
    [InlineData("2026-11-22T10:00")]
    [InlineData("11/22/2026 10:00 +01:00")]
    [InlineData("Sun, 22 Nov 2026 10:00:00 GMT")]
    public async Task A_frame_time_without_an_iso_offset_is_400(string t)
    {
        var content = new ByteArrayContent(ImageBytes.Encode(SkiaSharp.SKEncodedImageFormat.Png));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var detail = await AssertProblemAsync(
            await _client.PostAsync($"/v1/homes/{UniqueId("home")}/cameras/door/frames?t={Uri.EscapeDataString(t)}", content), HttpStatusCode.BadRequest);
        Assert.Contains("is not an ISO 8601 time with offset", detail);
    }

    /// <summary>A client that goes away mid-body is the client's business: no Error entry, no exception handler.</summary>
    [Fact]
    public async Task A_client_that_disconnects_mid_body_leaves_no_error_log()
    {
        var logs = LogCapture.AttachTo(silo);
        logs.Start();
        var server = _client.BaseAddress!;
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(server.Host, server.Port);
            var head = new StringBuilder($"POST /v1/homes/{UniqueId("home")}/devices/temp/readings HTTP/1.1\r\nHost: {server.Authority}\r\n")
                .Append("Content-Type: application/json\r\nContent-Length: 5000\r\n");
            foreach (var header in _client.DefaultRequestHeaders)
            {
                head.Append(FormattableString.Invariant($"{header.Key}: {string.Join(",", header.Value)}\r\n"));
            }

            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n{\"readings\":[").ToString()));
            await Task.Delay(300);
            tcp.Client.LingerState = new LingerOption(true, 0); // reset, as a crashed client would
        }

        await Task.Delay(1000);
        logs.Stop();
        Assert.True(logs.Entries.Count == 0, "error-level log entries:\n" + string.Join("\n", logs.Entries));
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }
}
