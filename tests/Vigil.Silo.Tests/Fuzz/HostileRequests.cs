using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SkiaSharp;
using Vigil.Contracts;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>
/// FsCheck generators of requests every one of which the API must refuse (4xx), for every route: malformed JSON and
/// NDJSON, huge numbers, NaN/∞, deep nesting, gigantic ids, path tricks, truncated and bomb images, bodies over the
/// limits, wrong content types, wrong methods. Good ids come from a small space under <paramref name="prefix"/>, so a
/// run can check afterwards that no refused request stored anything.
/// </summary>
internal sealed class HostileRequests(string prefix)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public const int Homes = 5, Devices = 10;

    public IEnumerable<(string Home, string Device)> GoodDevices =>
        from h in Enumerable.Range(0, Homes) from d in Enumerable.Range(0, Devices) select (HomeId(h), DeviceId(d));

    private string HomeId(int i) => $"{prefix}-h{i}";

    private static string DeviceId(int i) => $"d{i}";

    /// <summary>Every route, weighted by how much input it parses.</summary>
    public Gen<HostileRequest> Any() => Gen.Frequency(
        (30, Bulk()),
        (25, DeviceReadings()),
        (20, Frames()),
        (15, Queries()),
        (5, DeviceKinds()),
        (10, Misrouted()));

    // ---------------------------------------------------------------- ids

    private Gen<string> GoodHome => Gen.Choose(0, Homes - 1).Select(HomeId);

    private static Gen<string> GoodDevice => Gen.Choose(0, Devices - 1).Select(DeviceId);

    /// <summary>Ids <see cref="GrainKeys.Check"/> refuses: empty, dot paths, separators, control and non-ASCII characters, gigantic.</summary>
    public static Gen<string> BadId => Gen.OneOf(
        Gen.Elements("", ".", "..", "a/b", "/", "../..", "a\\b", "a b", "a?b", "a#b", "a%b", "a+b", "é", "日本", "😀", "\u202eevil",
            "\0", "a\nb", "\r\n", "\t", "a\u0000b", "\uFEFFx", "x\uD800", "\uDC00", "%2F", "%2e%2e", "a;b", "<script>", "' OR 1=1 --"),
        Gen.Choose(GrainKeys.MaxIdLength + 1, 3000).Select(n => new string('x', n)),
        Gen.Choose(1, 24).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c), n)).Select(c => new string(c)))
        .Where(id => GrainKeys.Check(id) is not null);

    /// <summary>Bad ids as they appear in a path: percent-encoded byte by byte, or raw tricks the server must normalise or refuse.</summary>
    private static Gen<string> BadPathId => Gen.OneOf(
        BadId.Select(PercentEncode),
        Gen.Elements("..", "%2E%2E", "%2e.", ".%2F..", "..%2F..%2Fetc%2Fpasswd", "a%2Fb", "%FF%FE", "%C0%AF", "%00", "%0D%0A", "%E2%80%AE",
            "%252F", "%25", "%zz", "a%", "%D8%00", "%ED%A0%80"));

    // ---------------------------------------------------------------- NDJSON bulk

    private Gen<HostileRequest> Bulk() => Gen.OneOf(
        // Good lines with at least one bad line among them, anywhere.
        from good in Gen.ListOf(GoodLine(), 0).Select(l => l.Take(12).ToList())
        from bad in BadLine()
        from at in Gen.Choose(0, good.Count)
        from type in Gen.Elements("application/x-ndjson", "application/json", "text/plain", null, "image/png")
        select Post($"bulk/{bad.Kind}", "/v1/readings", Lines(good.Take(at).Append(bad.Line).Concat(good.Skip(at))), type),
        // Lines each fine alone, wrong against each other (a device's timestamp repeated with other values, or going back an hour).
        from a in GoodLine()
        from shift in Gen.Elements(TimeSpan.Zero, TimeSpan.FromHours(-1))
        select Post(shift == TimeSpan.Zero ? "bulk/conflict" : "bulk/backwards", "/v1/readings",
            Lines([a, Encoding.UTF8.GetBytes(LineText(Home(a), Device(a), Time(a) + shift, "1234.5"))]), "application/x-ndjson"),
        // Only blank lines, or nothing.
        Gen.Elements("", "\n", "\n\n\r\n  \t\n").Select(b => Post("bulk/empty", "/v1/readings", Encoding.UTF8.GetBytes(b), "application/x-ndjson")),
        // Over the 64 KB limit: padding after good lines, one gigantic line, declared or chunked.
        from good in GoodLine()
        from extra in Gen.Choose(1, 40_000)
        from chunked in Gen.Elements(false, true)
        from giant in Gen.Elements(false, true)
        select Post("bulk/over-limit", "/v1/readings",
            giant
                ? Encoding.UTF8.GetBytes(LineText(new string('h', (int)SiloFixture.BulkLimit + extra), "d", Start, "1"))
                : [.. good, .. Enumerable.Repeat((byte)'\n', (int)SiloFixture.BulkLimit + extra)],
            "application/x-ndjson", chunked),
        // Not NDJSON at all: an image, random bytes.
        ImageBody().Select(b => Post("bulk/image", "/v1/readings", b, "image/png")),
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(b => b.Length > 0 && b.Any(x => x is not (byte)'\n' and not (byte)' ' and not (byte)'\r' and not (byte)'\t'))
            .Select(b => Post("bulk/bytes", "/v1/readings", b, "application/octet-stream")));

    private Gen<byte[]> GoodLine() =>
        from home in GoodHome
        from device in GoodDevice
        from minute in Gen.Choose(0, 10_000)
        from v in FiniteValue
        select Encoding.UTF8.GetBytes(LineText(home, device, Start.AddMinutes(minute), v));

    /// <summary>A line that is bad on its own, with the reason as its kind.</summary>
    private Gen<(string Kind, byte[] Line)> BadLine() => Gen.OneOf(
        from line in GoodLine() from cut in Gen.Choose(1, 60) select ("truncated", line[..Math.Min(cut, line.Length - 1)]),
        from home in GoodHome from device in GoodDevice from v in BadValue select ("value/" + v.Kind, Utf8(LineText(home, device, Start, v.Json))),
        from home in GoodHome from device in GoodDevice from t in BadTime select ("time", Utf8($"{{\"home\":{JsonString(home)},\"device\":{JsonString(device)},\"t\":{t},\"v\":1}}")),
        from id in BadId from which in Gen.Elements(true, false) from device in GoodDevice
            select ("id", Utf8(which ? LineText(id, device, Start, "1") : LineText(HomeId(0), id, Start, "1"))),
        Gen.Elements("[]", "1", "\"x\"", "null", "true", "{}", "{\"home\":\"h\"}", "{\"home\":\"h\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\"}",
            "{\"home\":\"h\",\"device\":\"d\",\"v\":1}", "{\"home\":1,\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}",
            "{\"home\":null,\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}", "{\"home\":\"h\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}}",
            "{'home':'h'}", "{home:h}", "\u001e{}", "{\"home\":\"h\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1,}")
            .Select(l => ("shape", Utf8(l))),
        Gen.Choose(9, 3000).Select(n => ("nesting", Utf8(new string('[', n) + new string(']', n)))),
        Gen.Elements<byte[]>([0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'])
            .Select(b => ("utf8", (byte[])[.. "{\"home\":\""u8, .. b, .. "\",\"device\":\"d\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}"u8])));

    // ---------------------------------------------------------------- one device's readings

    private Gen<HostileRequest> DeviceReadings() => Gen.OneOf(
        from home in GoodHome from device in GoodDevice from body in BadDeviceBody()
            from type in Gen.Elements("application/json", "text/plain", null, "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")
            select Post($"device/{body.Kind}", $"/v1/homes/{home}/devices/{device}/readings", body.Body, type),
        from home in BadPathId from device in GoodDevice
            select Post("device/path-id", $"/v1/homes/{home}/devices/{device}/readings", Utf8(GoodReadings(2)), "application/json"),
        from home in GoodHome from device in BadPathId
            select Post("device/path-id", $"/v1/homes/{home}/devices/{device}/readings", Utf8(GoodReadings(2)), "application/json"));

    private static string GoodReadings(int count) =>
        "{\"readings\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"{{\"t\":\"{Start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{20 + i}}}")) + "]}";

    private Gen<(string Kind, byte[] Body)> BadDeviceBody() => Gen.OneOf(
        Gen.Elements("", "null", "[]", "{}", "1", "\"readings\"", "{\"readings\":null}", "{\"readings\":{}}", "{\"readings\":[]}", "{\"readings\":\"x\"}",
            "{\"readings\":[1]}", "{\"readings\":[null]}", "{\"readings\":[{}]}", "{\"Readings\":[]}", "{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\"}]}",
            "{\"readings\":[{\"v\":1}]}", GoodReadings(1) + GoodReadings(1), GoodReadings(1) + "\n" + GoodReadings(1))
            .Select(b => ("shape", Utf8(b))),
        from n in Gen.Choose(3, 200) from cut in Gen.Choose(1, 1000) select ("truncated", Utf8(GoodReadings(n)[..Math.Min(cut, GoodReadings(n).Length - 1)])),
        from v in BadValue from at in Gen.Choose(0, 3)
            select ("value/" + v.Kind, Utf8("{\"readings\":[" + string.Join(",", Enumerable.Range(0, 4).Select(i =>
                $"{{\"t\":\"{Start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{(i == at ? v.Json : "1")}}}")) + "]}")),
        BadTime.Select(t => ("time", Utf8($"{{\"readings\":[{{\"t\":{t},\"v\":1}}]}}"))),
        Gen.Choose(9, 9000).Select(n => ("nesting", Utf8("{\"readings\":" + new string('[', n) + new string(']', n) + "}"))),
        Gen.Choose(2, 33).Select(n => ("channels", Utf8($"{{\"readings\":[{{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}},{{\"t\":\"2026-11-22T10:01:00Z\",\"v\":[{string.Join(",", Enumerable.Repeat("1", n))}]}}]}}"))),
        // Fine as JSON, refused by the device grain: a timestamp repeated with another value, or going back an hour.
        Gen.Elements(
            "{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1},{\"t\":\"2026-11-22T10:00:00Z\",\"v\":2}]}",
            "{\"readings\":[{\"t\":\"2026-11-22T11:00:00Z\",\"v\":1},{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1}]}").Select(b => ("grain", Utf8(b))),
        from extra in Gen.Choose(1, 40_000)
            select ("over-limit", Utf8(GoodReadings(1) + new string(' ', (int)SiloFixture.ReadingsLimit + extra))),
        ImageBody().Select(b => ("image", b)),
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(b => ("bytes", b)));

    // ---------------------------------------------------------------- camera frames

    private Gen<HostileRequest> Frames() => Gen.OneOf(
        from home in GoodHome from body in BadImage()
            from type in Gen.Elements("image/png", "image/jpeg", "application/octet-stream", null, "application/json")
            select Post($"frame/{body.Kind}", $"/v1/homes/{home}/cameras/cam/frames", body.Body, type),
        from home in GoodHome from query in BadRawQuery
            from length in Gen.Choose(0, 4096)
            select Post("frame/raw", $"/v1/homes/{home}/cameras/cam/frames?{query}", new byte[length], "application/octet-stream"),
        from home in GoodHome from t in BadTimeText
            select Post("frame/time", $"/v1/homes/{home}/cameras/cam/frames?t={PercentEncode(t)}", ImageBytes.Encode(SKEncodedImageFormat.Png), "image/png"),
        from id in BadPathId from which in Gen.Elements(true, false)
            select Post("frame/path-id", which ? $"/v1/homes/{id}/cameras/cam/frames" : $"/v1/homes/{HomeId(0)}/cameras/{id}/frames",
                ImageBytes.Encode(SKEncodedImageFormat.Png), "image/png"),
        from extra in Gen.Choose(1, 64 * 1024) from chunked in Gen.Elements(false, true)
            select Post("frame/over-limit", $"/v1/homes/{HomeId(1)}/cameras/cam/frames?width=1000&height=1000",
                new byte[SiloFixture.FrameLimit + extra], "application/octet-stream", chunked));

    private static readonly byte[] Png = ImageBytes.Encode(SKEncodedImageFormat.Png);
    private static readonly byte[] Jpeg = ImageBytes.Encode(SKEncodedImageFormat.Jpeg);
    private static readonly byte[] Webp = ImageBytes.Encode(SKEncodedImageFormat.Webp);

    /// <summary>Images no camera frame may be: bombs by declared size, cut short, other formats, not images.</summary>
    private static Gen<(string Kind, byte[] Body)> BadImage() => Gen.OneOf(
        Gen.Elements((100_000, 100_000), (65_535, 65_535), (4097, 16), (16, 4097), (5000, 5000), (int.MaxValue, 1), (1, int.MaxValue), (0, 10), (10, 0))
            .Select(s => ("png-bomb", ImageBytes.Png(s.Item1, s.Item2))),
        Gen.Elements((60_000, 60_000), (65_535, 1), (4097, 4097), (0, 16))
            .Select(s => ("jpeg-bomb", ImageBytes.JpegDeclaring(s.Item1, s.Item2))),
        Gen.Choose(0, ImageBytes.PngHalfOfPixelData(Png)).Select(n => ("png-truncated", Png[..n])),
        Gen.Choose(0, Jpeg.Length / 2).Select(n => ("jpeg-truncated", Jpeg[..n])),
        Gen.Constant(("webp", Webp)),
        Gen.Elements("GIF89a", "BM", "RIFF\0\0\0\0WEBP", "\u0089PNG", "\u00ff\u00d8\u00ff", "{\"readings\":[]}", "<svg/>")
            .Select(s => ("not-an-image", Encoding.Latin1.GetBytes(s))),
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Select(b => ("bytes", b)));

    private static Gen<byte[]> ImageBody() => Gen.Elements(Png, Jpeg, ImageBytes.Png(100_000, 100_000));

    private static Gen<string> BadRawQuery => Gen.OneOf(
        Gen.Elements("width=10", "height=10", "width=0&height=10", "width=-1&height=10", "width=10&height=-5", "width=abc&height=10",
            "width=99999999999&height=1", "width=5000&height=5000", "width=4096&height=4097", "width=1e3&height=1", "width=&height=",
            "width=10&height=10&width=20", "width=%00&height=1", "width=0x10&height=16"),
        // A size the body does not match (the bodies are 0..4096 bytes).
        from w in Gen.Choose(65, 4000) from h in Gen.Choose(65, 4000) select $"width={w}&height={h}");

    // ---------------------------------------------------------------- device kinds

    private Gen<HostileRequest> DeviceKinds() => Gen.OneOf(
        from home in GoodHome from device in GoodDevice from kind in BadId
            select new HostileRequest("kind/id", HttpMethod.Put, $"/v1/homes/{home}/devices/{device}", Utf8($"{{\"kind\":{JsonString(kind)}}}"), "application/json"),
        from home in GoodHome from device in GoodDevice
            from body in Gen.Elements("", "{", "[]", "null", "\"power\"", "{\"kind\":null}", "{\"kind\":7}", "{\"kind\":[\"power\"]}", "{\"type\":\"power\"}", "{\"kind\":\"po\u0000wer\"}")
            select new HostileRequest("kind/body", HttpMethod.Put, $"/v1/homes/{home}/devices/{device}", Utf8(body), "application/json"),
        from home in BadPathId from device in GoodDevice
            select new HostileRequest("kind/path-id", HttpMethod.Put, $"/v1/homes/{home}/devices/{device}", Utf8("{\"kind\":\"power\"}"), "application/json"));

    // ---------------------------------------------------------------- reads, and everything else

    private Gen<HostileRequest> Queries() => Gen.OneOf(
        from home in BadPathId from device in GoodDevice select Get("get-device/path-id", $"/v1/homes/{home}/devices/{device}"),
        from home in GoodHome from device in BadPathId select Get("get-device/path-id", $"/v1/homes/{home}/devices/{device}"),
        from home in GoodHome from n in Gen.Choose(100, 999) select Get("get-device/unknown", $"/v1/homes/{home}/devices/nobody{n}"),
        from home in BadPathId select Get("alerts/path-id", $"/v1/homes/{home}/alerts"),
        from home in GoodHome from max in Gen.Elements("0", "-1", "501", "abc", "99999999999", "1.5", "%00", "1e2", "0x10")
            select Get("alerts/max", $"/v1/homes/{home}/alerts?max={max}"),
        from home in BadId select Get("stream/home", $"/v1/alerts/stream?home={PercentEncode(home)}"));

    private Gen<HostileRequest> Misrouted() => Gen.OneOf(
        from method in Gen.Elements(HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Get)
            from path in Gen.Elements($"/v1/homes/{HomeId(0)}/devices/d0/readings", "/v1/readings", $"/v1/homes/{HomeId(0)}/cameras/c/frames")
            select new HostileRequest("method", method, path, method == HttpMethod.Get ? null : Utf8(GoodReadings(1)), "application/json"),
        from method in Gen.Elements(HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete)
            from path in Gen.Elements($"/v1/homes/{HomeId(0)}/devices/d0", $"/v1/homes/{HomeId(0)}/alerts", "/healthz", "/readyz")
            select new HostileRequest("method", method, path, Utf8("{}"), "application/json"),
        Gen.Elements("/v1", "/v1/", "/v1/homes", "/v1/homes/h", "/v1/homes/h/devices", "/v2/readings", "/v1/readings/extra", "/%2e%2e/%2e%2e/etc/passwd",
                "/v1/homes/h/devices/d/readings/../../../../healthz/x", "/v1//readings", "/V1/READINGS/X", "/v1/homes/h/devices/d/readings%00")
            .Select(p => Get("unknown-path", p)));

    // ---------------------------------------------------------------- values and times

    private static Gen<string> FiniteValue => Gen.OneOf(
        Gen.Choose(-100_000, 100_000).Select(i => (i / 100.0).ToString(CultureInfo.InvariantCulture)),
        Gen.Choose(1, 32).Select(n => "[" + string.Join(",", Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]"));

    /// <summary>Values a reading may not carry: NaN and ∞ spelled every way, beyond float, wrong types, too many channels.</summary>
    private static Gen<(string Kind, string Json)> BadValue => Gen.OneOf(
        Gen.Elements("\"NaN\"", "\"nan\"", "\"Infinity\"", "\"-Infinity\"", "\"∞\"", "NaN", "Infinity", "-Infinity", "nan", "inf")
            .Select(v => ("non-finite", v)),
        Gen.Elements("1e39", "-3.5e38", "1e400", "-1e999", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382839e300")
            .Select(v => ("huge", v)),
        Gen.Choose(40, 5000).Select(n => ("huge", "1" + new string('0', n))),
        Gen.Elements("\"21.5\"", "null", "true", "{}", "{\"x\":1}", "[]", "[null]", "[[1]]", "[1,\"2\"]", "01", "1.", ".5", "+1", "0x10", "1e", "--1", "[1,]")
            .Select(v => ("type", v)),
        Gen.Choose(33, 2000).Select(n => ("channels", "[" + string.Join(",", Enumerable.Repeat("1", n)) + "]")));

    private static Gen<string> BadTimeText => Gen.OneOf(
        Gen.Elements("", "yesterday", "2026-11-22", "2026-11-22 10:00:00Z", "2026-11-22T10:00:00", "2026-13-45T99:99:99Z", "0000-00-00T00:00:00Z",
            "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-11-22T10:00:00+99:99", "2026-02-30T10:00:00Z", "+002026-11-22T10:00:00Z",
            "2026-11-22T10:00:00.12345678Z", "2026-11-22T10:00:00Z\u0000", "１９７０-01-01T00:00:00Z", "2026-11-22T24:00:00Z", "1700000000"),
        Gen.Choose(41, 2000).Select(n => "2026-11-22T10:00:00Z" + new string('0', n)));

    private static Gen<string> BadTime => Gen.OneOf(
        BadTimeText.Select(JsonString),
        Gen.Elements("1700000000", "null", "true", "[]", "{}", "\"\\ud800\"", "1e400"));

    // ---------------------------------------------------------------- helpers

    private static HostileRequest Post(string kind, string path, byte[] body, string? type, bool chunked = false) =>
        new(kind, HttpMethod.Post, path, body, type, chunked);

    private static HostileRequest Get(string kind, string path) => new(kind, HttpMethod.Get, path);

    private static string LineText(string home, string device, DateTimeOffset t, string v) =>
        $"{{\"home\":{JsonString(home)},\"device\":{JsonString(device)},\"t\":\"{t:yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{v}}}";

    private static byte[] Lines(IEnumerable<byte[]> lines) => [.. lines.SelectMany(l => (byte[])[.. l, (byte)'\n'])];

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Home(byte[] line) => Field(line, "home");

    private static string Device(byte[] line) => Field(line, "device");

    private static DateTimeOffset Time(byte[] line) => DateTimeOffset.Parse(Field(line, "t"), CultureInfo.InvariantCulture);

    private static string Field(byte[] line, string name)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        return doc.RootElement.GetProperty(name).GetString()!;
    }

    /// <summary>A JSON string literal with every non-ASCII, control or surrogate character escaped, lone surrogates included.</summary>
    public static string JsonString(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '"' or '\\' || c < 0x20 || c > 0x7E)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>Percent-encodes the UTF-8 bytes of <paramref name="s"/> except unreserved characters (lone surrogates become U+FFFD).</summary>
    public static string PercentEncode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return sb.ToString();
    }
}
