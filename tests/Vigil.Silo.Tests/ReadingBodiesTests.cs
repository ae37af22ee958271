using System.Text;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Tests;

public sealed class ReadingBodiesTests
{
    private static string DeviceError(string json) =>
        Assert.Throws<InvalidInputException>(() => DeviceReadingsBody.Parse(Encoding.UTF8.GetBytes(json))).Message;

    private static InvalidInputException BulkError(string ndjson, int maxLines = 100) =>
        Assert.Throws<InvalidInputException>(() => BulkReadingsBody.Parse(Encoding.UTF8.GetBytes(ndjson), maxLines));

    [Fact]
    public void Single_and_multi_channel_readings_parse()
    {
        var one = DeviceReadingsBody.Parse("""{"readings":[{"t":"2026-11-22T10:00:00Z","v":21.5},{"t":"2026-11-22T10:01:00+01:00","v":22}]}"""u8.ToArray());
        Assert.Equal([21.5f], one[0].V);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 1, 0, TimeSpan.Zero), one[1].T.ToUniversalTime());

        var two = DeviceReadingsBody.Parse("""{"readings":[{"t":"2026-11-22T10:00:00Z","v":[21.5,40.1]}]}"""u8.ToArray());
        Assert.Equal([21.5f, 40.1f], two[0].V);
    }

    [Theory]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":21.5}", "not valid JSON")]
    [InlineData("", "body is empty")]
    [InlineData("[1,2]", "must be an object with a \"readings\" array")]
    [InlineData("{\"readings\":[]}", "\"readings\" is empty")]
    [InlineData("{\"readings\":{}}", "\"readings\" must be an array")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":\"NaN\"}]}", "readings[0].v must be a finite number, not the string \"NaN\" (NaN and infinity are not accepted)")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":[1,\"Infinity\"]}]}", "readings[0].v[1] must be a finite number")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1e400}]}", "readings[0].v 1e400 is not a finite 32-bit number")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1e39}]}", "readings[0].v 1e39 is not a finite 32-bit number")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00\",\"v\":1}]}", "readings[0].t '2026-11-22T10:00:00' is not an ISO 8601 time with offset")]
    [InlineData("{\"readings\":[{\"t\":1700000000,\"v\":1}]}", "readings[0].t must be a string")]
    [InlineData("{\"readings\":[{\"v\":1}]}", "readings[0].t is missing")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\"}]}", "readings[0].v is missing")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":[]}]}", "readings[0].v has 0 values")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1},{\"t\":\"2026-11-22T10:01:00Z\",\"v\":[1,2]}]}", "readings[1].v has 2 channel(s) but readings[0].v has 1")]
    [InlineData("{\"readings\":[[[[[[[[[[1]]]]]]]]]]}", "not valid JSON")]
    public void Bad_device_bodies_say_what_and_where(string json, string expected) =>
        Assert.Contains(expected, DeviceError(json));

    [Fact]
    public void Bulk_lines_group_by_device_in_order_and_skip_blank_lines()
    {
        var batches = BulkReadingsBody.Parse(Encoding.UTF8.GetBytes(
            "{\"home\":\"h1\",\"device\":\"t\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}\r\n\n" +
            "{\"home\":\"h2\",\"device\":\"t\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":[1,2]}\n" +
            "{\"home\":\"h1\",\"device\":\"t\",\"t\":\"2026-11-22T10:01:00Z\",\"v\":2}\n"), 100);
        Assert.Equal(2, batches.Count);
        Assert.Equal(("h1", "t", 2), (batches[0].Home, batches[0].Device, batches[0].Readings.Length));
        Assert.Equal([1, 4], batches[0].Lines);
        Assert.Equal(("h2", 2), (batches[1].Home, batches[1].Readings[0].V.Length));
    }

    [Fact]
    public void Every_bad_bulk_line_is_reported_by_number()
    {
        var e = BulkError(
            "{\"home\":\"h1\",\"device\":\"t\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}\n" +
            "{\"home\":\"h1\",\"device\":\"t\",\"t\":\"2026-11-22T10:01:00Z\",\"v\":\"NaN\"}\n" +
            "not json\n" +
            "{\"home\":\"a/b\",\"device\":\"t\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}\n" +
            "{\"home\":\"\",\"device\":\"t\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}\n" +
            "{\"home\":\"h1\",\"device\":\"t\",\"t\":\"2026-11-22T10:02:00Z\",\"v\":[1,2]}\n");
        Assert.StartsWith("5 bad line(s), nothing was applied. First: line 2.v must be a finite number", e.Message);
        Assert.Contains(e.Details, d => d.StartsWith("line 3: not valid JSON", StringComparison.Ordinal));
        Assert.Contains("line 4: home id 'a/b' contains '/'.", e.Details);
        Assert.Contains("line 5: home id '' is empty.", e.Details);
        Assert.Contains(e.Details, d => d.StartsWith("line 6: v has 2 channel(s) but line 1 gave h1/t 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Bulk_bodies_are_bounded_in_lines() =>
        Assert.Contains("more than 2 lines", BulkError(string.Concat(Enumerable.Repeat("{\"home\":\"h\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}\n", 3)), maxLines: 2).Message);

    [Fact]
    public void An_empty_bulk_body_is_refused() => Assert.Contains("no lines", BulkError("\n\n").Message);
}
