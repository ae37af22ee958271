using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.Silo.Tests;

internal static class ApiTestHelpers
{
    private static int _next;

    /// <summary>Ids unique to one test, so tests sharing the silo never see each other's devices.</summary>
    public static string UniqueId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid().ToString("N")[..6]}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Readings(DateTimeOffset start, int count, Func<int, string>? value = null) =>
        "{\"readings\":[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            $"{{\"t\":\"{start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{value?.Invoke(i) ?? (20 + Math.Sin(i / 5.0)).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}}}")) + "]}";

    /// <summary>Asserts a problem-details answer with <paramref name="status"/> and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
    }

    public static async Task<JsonElement> AssertJsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostNdjsonAsync(this HttpClient client, string ndjson) =>
        client.PostAsync("/v1/readings", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));

    public static Task<T?> GetJsonAsync<T>(this HttpClient client, string url) => client.GetFromJsonAsync<T>(url);
}
