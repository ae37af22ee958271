using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// After a load: is every reading the API acknowledged in its device's state, and is every alert there once?
/// A device's count of accepted readings must equal what was acknowledged (timestamps only increase, so a lost
/// request would leave it short) and its window must end with exactly the newest acknowledged readings.
/// </summary>
internal static class AcknowledgedReadings
{
    /// <param name="HomeMissed">Devices holding an alert open that their home does not show open: the device could not
    /// tell its home during the failure (logged; the home hears of the device's next transition). Not a loss of
    /// readings or state, reported apart.</param>
    public sealed record Report(int Devices, int DevicesIntact, long Acknowledged, long Found, int Alerts, int DuplicateAlerts,
        IReadOnlyList<string> Problems, IReadOnlyList<string> HomeMissed);

    public static async Task<Report> CheckAsync(SiloProcess via, ReadingLoad load, TimeSpan within)
    {
        var problems = new List<string>();
        long found = 0;
        var intact = 0;
        var openByDevice = new Dictionary<string, string?>();
        foreach (var device in load.Devices)
        {
            var state = await GetAsync(via, device.StateUrl, within);
            var total = state.GetProperty("totalAccepted").GetInt64();
            found += Math.Min(total, device.Acked);
            var before = problems.Count;
            if (total != device.Acked)
            {
                problems.Add($"{device.Key}: {device.Acked} readings acknowledged, the device counts {total}.");
            }

            var window = state.GetProperty("lastReadings");
            var filled = window.GetArrayLength();
            if (filled == 0)
            {
                problems.Add($"{device.Key}: empty window.");
            }

            for (var k = 0; k < filled; k++)
            {
                var i = device.Acked - filled + k;
                var reading = window[k];
                var t = reading.GetProperty("t").GetDateTimeOffset();
                var v = reading.GetProperty("v")[0].GetSingle();
                if (t != ReadingLoad.TimeOf(i) || v != ReadingLoad.Value(device.Index, i))
                {
                    problems.Add($"{device.Key}: window slot {k} holds ({t:O}, {v}), expected reading {i} ({ReadingLoad.TimeOf(i):O}, {ReadingLoad.Value(device.Index, i)}).");
                    break;
                }
            }

            openByDevice[device.Key] = state.TryGetProperty("openAlert", out var open) && open.ValueKind == JsonValueKind.Object
                ? open.GetProperty("id").GetString()
                : null;
            if (problems.Count == before)
            {
                intact++;
            }
        }

        var missed = new List<string>();
        var (alerts, duplicates) = await CheckAlertsAsync(via, load, openByDevice, problems, missed, within);
        return new Report(load.Devices.Count, intact, load.AckedReadings, found, alerts, duplicates, problems, missed);
    }

    /// <summary>
    /// Alerts of every home: no id twice, no device with two alerts open at once, and the alert a device holds open
    /// is the one its home shows open for it.
    /// </summary>
    private static async Task<(int Alerts, int Duplicates)> CheckAlertsAsync(
        SiloProcess via, ReadingLoad load, Dictionary<string, string?> openByDevice, List<string> problems, List<string> missed, TimeSpan within)
    {
        int total = 0, duplicates = 0;
        foreach (var home in load.Homes)
        {
            var alerts = (await GetAsync(via, $"/v1/homes/{home}/alerts", within)).EnumerateArray()
                .Where(a => a.GetProperty("kind").GetString() == "sensor").ToList();
            total += alerts.Count;
            foreach (var twice in alerts.GroupBy(a => a.GetProperty("id").GetString()).Where(g => g.Count() > 1))
            {
                duplicates += twice.Count() - 1;
                problems.Add($"{home}: alert {twice.Key} appears {twice.Count()} times.");
            }

            foreach (var bySource in alerts.GroupBy(a => a.GetProperty("source").GetString()))
            {
                var open = bySource.Where(a => a.GetProperty("clearedAt").ValueKind == JsonValueKind.Null).Select(a => a.GetProperty("id").GetString()).ToList();
                if (open.Count > 1)
                {
                    duplicates += open.Count - 1;
                    problems.Add($"{home}/{bySource.Key}: {open.Count} alerts open at once ({string.Join(", ", open)}).");
                }

                if (openByDevice.TryGetValue($"{home}/{bySource.Key}", out var deviceOpen) && deviceOpen is not null && !open.Contains(deviceOpen))
                {
                    missed.Add($"{home}/{bySource.Key}: the device holds alert {deviceOpen} open, its home does not show it open.");
                }
            }
        }

        return (total, duplicates);
    }

    /// <summary>GET with retries: right after a failure the cluster may still answer 503 for a moment.</summary>
    public static async Task<JsonElement> GetAsync(SiloProcess via, string url, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "";
        while (true)
        {
            try
            {
                using var response = await via.Client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadFromJsonAsync<JsonElement>();
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"GET {url} through silo {via.Name} did not answer 200 within {within.TotalSeconds} s (last: {last}).\n{via.Output}");
            }

            await Task.Delay(300);
        }
    }
}
