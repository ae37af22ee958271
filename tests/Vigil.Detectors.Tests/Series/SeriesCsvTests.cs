using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

public sealed class SeriesCsvTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("vigil-csv-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private InvalidDataException Refused(string content, out string path)
    {
        path = Path.Combine(temp, $"input-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        var p = path;
        return Assert.Throws<InvalidDataException>(() => SeriesCsv.Read(p));
    }

    [Theory]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,NaN\n", 3, "not finite")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,Infinity\n", 2, "not finite")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\nyesterday,2\n", 3, "unparsable timestamp")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,abc\n", 3, "not a number")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00\n", 3, "fields")]
    [InlineData("timestamp,value\n2026-01-01 00:05:00,1\n2026-01-01 00:00:00,2\n", 3, "goes back")]
    [InlineData("time,value\n2026-01-01 00:00:00,1\n", 1, "expected the columns")]
    [InlineData("timestamp\n2026-01-01 00:00:00\n", 1, "expected the columns")]
    public void Bad_rows_are_refused_naming_the_file_and_line(string content, int line, string what)
    {
        var e = Refused(content, out var path);
        Assert.Contains(path, e.Message);
        Assert.Contains($"line {line}", e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Empty_files_and_header_only_files_are_refused()
    {
        Assert.Contains("empty", Refused("", out _).Message);
        Assert.Contains("no data rows", Refused("timestamp,value\n", out _).Message);
    }

    [Fact]
    public void Several_value_columns_are_channels_and_repeated_timestamps_are_rows()
    {
        var path = Path.Combine(temp, "two.csv");
        File.WriteAllText(path, "timestamp,temperature,humidity\n2026-01-01 00:00:00,21.5,40\n2026-01-01 00:00:00,21.6,41\n2026-01-01T00:10:00Z,21.7,42\n");
        var data = SeriesCsv.Read(path);
        Assert.Equal(2, data.Channels);
        Assert.Equal(3, data.Rows);
        Assert.Equal(42f, data[2, 1]);
        Assert.Equal(["temperature", "humidity"], data.ChannelNames);
    }

    [Fact]
    public void A_window_longer_than_the_series_is_refused_naming_the_file()
    {
        var series = SyntheticSeries.ToSeries(SyntheticSeries.Normal(30, 1), "short.csv");
        var e = Assert.Throws<InvalidDataException>(() => new SeriesWindowSet([series], inputLength: 61));
        Assert.Contains("short.csv", e.Message);
        Assert.Contains("window larger than the series", e.Message);
    }
}
