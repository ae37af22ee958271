using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>
/// Properties of the two reading bodies' parsers, checked by FsCheck on JSON-shaped noise (so most cases get past
/// the first byte) and on valid bodies with one bad line planted: the only failure is
/// <see cref="InvalidInputException"/>, and a bad NDJSON line is named by its number.
/// </summary>
public sealed class ReadingBodyProperties
{
    private static readonly Config Checked = Config.QuickThrowOnFailure.WithMaxTest(3000);

    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "{", "}", "[", "]", ",", ":", "\"home\"", "\"device\"", "\"t\"", "\"v\"", "\"readings\"", "\"2026-11-22T10:00:00Z\"", "\"h\"", "\"d\"",
            "1", "-2.5", "1e39", "1e400", "\"NaN\"", "null", "true", "\n", " ", "\r\n", "\"\\ud800\"", "\"\\udc00x\"", "\"a/b\"", "\"\"",
            "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "[1,2]", "[]",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x00],
    ];

    private static Arbitrary<byte[]> JsonNoise => Arb.From(
        Gen.ListOf(Gen.Elements(Tokens)).Select(parts => parts.SelectMany(p => p).ToArray()));

    [Fact]
    public void A_device_body_either_parses_or_is_refused_as_invalid_input() =>
        Check.One(Checked, Prop.ForAll(JsonNoise, body => ParsesOrRefuses(() => DeviceReadingsBody.Parse(body))));

    [Fact]
    public void A_bulk_body_either_parses_or_is_refused_as_invalid_input() =>
        Check.One(Checked, Prop.ForAll(JsonNoise, body => ParsesOrRefuses(() => BulkReadingsBody.Parse(body, 1000))));

    [Fact]
    public void A_device_body_wrapped_around_noise_either_parses_or_is_refused() =>
        Check.One(Checked, Prop.ForAll(JsonNoise, noise =>
            ParsesOrRefuses(() => DeviceReadingsBody.Parse((byte[])[.. "{\"readings\":[{\"t\":"u8, .. noise, .. ",\"v\":"u8, .. noise, .. "}]}"u8]))));

    [Fact]
    public void One_bad_line_among_good_ones_is_named_by_its_number_and_refuses_the_body()
    {
        var cases =
            from good in Gen.Choose(1, 30)
            from at in Gen.Choose(0, good)
            from bad in Gen.Elements("{\"home\":\"h\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":\"NaN\"}",
                "{\"home\":\"a/b\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}", "not json", "[]",
                "{\"home\":\"h\\ud800\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}",
                "{\"home\":\"h\",\"device\":\"d\",\"t\":\"2026-11-22\",\"v\":1}")
            select (good, at, bad);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(cases), c =>
        {
            var lines = Enumerable.Range(0, c.good)
                .Select(i => $"{{\"home\":\"h\",\"device\":\"d{i % 3}\",\"t\":\"{new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{i}}}")
                .ToList();
            lines.Insert(c.at, c.bad);
            var refused = Assert.Throws<InvalidInputException>(() => BulkReadingsBody.Parse(Encoding.UTF8.GetBytes(string.Join("\n", lines)), 1000));
            Assert.Matches($@"First: line {c.at + 1}\D", refused.Message);
            Assert.Contains("nothing was applied", refused.Message);
        }));
    }

    [Fact]
    public void Good_lines_are_grouped_by_device_keeping_their_line_numbers() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(Gen.ListOf(Gen.Choose(0, 4)).Where(l => l.Count > 0)), devices =>
        {
            var body = string.Join("\n", devices.Select((d, i) =>
                $"{{\"home\":\"h\",\"device\":\"d{d}\",\"t\":\"{new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{i}}}"));
            var batches = BulkReadingsBody.Parse(Encoding.UTF8.GetBytes(body), 1000);
            Assert.Equal(devices.Count, batches.Sum(b => b.Readings.Length));
            foreach (var batch in batches)
            {
                for (var k = 0; k < batch.Lines.Length; k++)
                {
                    var line = batch.Lines[k];
                    Assert.Equal($"d{devices[line - 1]}", batch.Device);
                    Assert.Equal(line - 1, batch.Readings[k].V[0]);
                }
            }
        }));

    private static void ParsesOrRefuses(Action parse)
    {
        try
        {
            parse();
        }
        catch (InvalidInputException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }

        // Anything else propagates: FsCheck reports it with the smallest body that throws it.
    }
}
