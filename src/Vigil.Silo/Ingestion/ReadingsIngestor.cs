using Vigil.Contracts;

namespace Vigil.Silo.Ingestion;

/// <summary>What an accepted request did, as the 202 answer shows it.</summary>
public sealed record ReadingsAccepted(int Accepted, int Duplicates, int Late, int Devices);

/// <summary>
/// The ingestion path from parsed readings to device grains, shared by the HTTP API and the built-in simulator.
/// A batch the grain rejects is not applied (the grain's contract); the rejection becomes a 400.
/// </summary>
/// <remarks>
/// A bulk request touches many grains and there is no transaction across grains, so it goes in two phases:
/// every device's slice is first checked by its grain (<see cref="IDeviceGrain.CheckAsync"/>, a dry run against the
/// stored readings), and only when every line passes is anything appended. What that guarantees is spelled out in
/// <see cref="IngestAsync(IReadOnlyList{DeviceBatch})"/>.
/// </remarks>
public sealed class ReadingsIngestor(IGrainFactory grains)
{
    /// <summary>Device grains called at once by one bulk request; bounds the fan-out of a large request.</summary>
    private const int BulkParallelism = 64;

    /// <summary>Reasons listed in one answer; the rest are counted.</summary>
    private const int MaxReported = 20;

    /// <summary>Runs between the check and the append phase; tests use it to interleave a concurrent writer.</summary>
    internal Func<IReadOnlyList<DeviceBatch>, Task>? AfterCheck { get; init; }

    public async Task<ReadingsAccepted> IngestAsync(string home, string device, Reading[] readings)
    {
        var result = await Device(home, device).AppendAsync(new ReadingBatch(readings));
        if (!result.Applied)
        {
            throw Rejected(home, device, result, index => $"readings[{index}]");
        }

        return new ReadingsAccepted(result.Accepted, result.Duplicates, result.Late, 1);
    }

    /// <summary>
    /// Checks then appends every device's batch. Guarantees:
    /// <list type="bullet">
    /// <item>Any line that is bad, on its own or against its device's stored readings as they are when checked
    /// (timestamps behind the window beyond the tolerance, a channel count the device does not have, a timestamp
    /// repeated with other values), is a 400 naming the line, and nothing of the request is applied.</item>
    /// <item>Each device's readings are applied whole or not at all (the grain re-validates in Append).</item>
    /// <item>Across devices there is no rollback: if a device refuses at append time what it accepted at check time
    /// (a concurrent request wrote to it in between), or its model queue is full, or the cluster is reconfiguring,
    /// the other devices keep their readings. The same holds when a device's storage write fails (Redis out of reach,
    /// or its stored state one version ahead of the grain's copy): that device stored nothing. The answer is then not
    /// 202: it is <see cref="PartiallyAppliedException"/> (409, 429 or 503) naming the devices and lines not applied. When no
    /// device applied anything, the answer is the plain 400/429/503 with "nothing was applied".</item>
    /// </list>
    /// A request with one device skips the check: its single Append is already all or nothing.
    /// </summary>
    internal async Task<ReadingsAccepted> IngestAsync(IReadOnlyList<DeviceBatch> batches)
    {
        if (batches.Count > 1)
        {
            await CheckAllAsync(batches);
            if (AfterCheck is not null)
            {
                await AfterCheck(batches);
            }
        }

        var outcomes = await ForEachDeviceAsync(batches, (grain, batch) => grain.AppendAsync(batch));
        var applied = outcomes.Count(o => o.Result is { Applied: true });
        if (applied == batches.Count)
        {
            var results = outcomes.Select(o => o.Result!).ToList();
            return new ReadingsAccepted(
                results.Sum(r => r.Accepted), results.Sum(r => r.Duplicates), results.Sum(r => r.Late), batches.Count);
        }

        if (applied == 0)
        {
            // Nothing stored: the answer is what it would be for a one-device request.
            if (outcomes.FirstOrDefault(o => o.Error is not null) is { Error: { } error })
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }

            throw LineRejections(batches, outcomes.Select(o => o.Result!).ToArray());
        }

        throw Partial(batches, outcomes, applied);
    }

    /// <summary>Phase one: every device judges its slice; any rejection refuses the whole request.</summary>
    private async Task CheckAllAsync(IReadOnlyList<DeviceBatch> batches)
    {
        var outcomes = await ForEachDeviceAsync(batches, (grain, batch) => grain.CheckAsync(batch));
        if (outcomes.FirstOrDefault(o => o.Error is not null) is { Error: { } error })
        {
            // Checks store nothing, so a failed check leaves the request unapplied; the error maps to 429/503.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        var results = outcomes.Select(o => o.Result!).ToArray();
        if (results.Any(r => !r.Applied))
        {
            throw LineRejections(batches, results);
        }
    }

    /// <summary>400 naming every refused line (up to a bound), by its NDJSON line number.</summary>
    private static InvalidInputException LineRejections(IReadOnlyList<DeviceBatch> batches, IngestResult[] results)
    {
        var lines = Enumerable.Range(0, batches.Count)
            .SelectMany(i => results[i].Rejections.Select(r => (Line: batches[i].Lines[r.Index], Batch: batches[i], Rejection: r)))
            .OrderBy(x => x.Line)
            .Select(x => (x.Line, Text: $"line {x.Line}: {x.Batch.Home}/{x.Batch.Device} reading at {x.Rejection.T:O} {x.Rejection.Reason}"))
            .ToList();
        var reported = lines.Take(MaxReported).Select(x => x.Text).ToList();
        var more = lines.Count > reported.Count ? $" (and {lines.Count - reported.Count} more)" : "";
        return new InvalidInputException(
            $"{lines.Count} bad line(s) against the devices' stored readings, nothing was applied. First: {reported[0]}{more}", reported);
    }

    private static PartiallyAppliedException Partial(IReadOnlyList<DeviceBatch> batches, DeviceOutcome[] outcomes, int applied)
    {
        var failed = Enumerable.Range(0, batches.Count).Where(i => outcomes[i].Result is not { Applied: true }).ToList();
        var reasons = failed.Select(i =>
        {
            var b = batches[i];
            var why = outcomes[i].Error is { } e
                ? Describe(e)
                : outcomes[i].Result!.Rejections.FirstOrDefault() is { } r
                    ? $"line {b.Lines[r.Index]} {r.Reason} (a concurrent request wrote to this device after the check)"
                    : "refused by the device";
            return $"{b.Home}/{b.Device} ({b.Lines.Length} reading(s), lines {b.Lines[0]}..{b.Lines[^1]}) not applied: {why}";
        }).ToList();
        var errors = failed.Select(i => outcomes[i].Error).OfType<Exception>().ToList();
        if (errors.FirstOrDefault(e => !TransientFailures.IsRetryable(e)) is { } bug)
        {
            // Not a refusal anyone planned for: surface it as the logged 500 it is rather than dress it as retryable.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(bug);
        }

        var retryAfter = errors.OfType<OverloadedException>().Select(e => e.RetryAfter).DefaultIfEmpty().Max();
        var status = errors.Any(e => e is OverloadedException) ? StatusCodes.Status429TooManyRequests
            : errors.Count > 0 ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status409Conflict;
        var message =
            $"Only part of the request was applied: the readings of {applied} of {batches.Count} device(s) were stored; " +
            $"those of {failed.Count} device(s) were not. First: {reasons[0]}. Resend only the lines of the devices not applied.";
        return new PartiallyAppliedException(status, message, reasons.Take(MaxReported).ToList(),
            failed.Select(i => GrainKeys.ForDevice(batches[i].Home, batches[i].Device)).ToList(),
            status == StatusCodes.Status409Conflict ? null : retryAfter == default ? TimeSpan.FromSeconds(2) : retryAfter);
    }

    /// <summary>Why a device's append failed, in the client's terms (a storage provider's message names ETags and keys).</summary>
    private static string Describe(Exception e) =>
        TransientFailures.IsStorageConflict(e) ? "its stored state changed since it was loaded (a write whose answer was lost); it reloads"
        : TransientFailures.IsStorageUnavailable(e) ? "grain storage could not be reached"
        : e.Message;

    /// <summary>Calls every device's grain with bounded fan-out; one device's failure does not stop the others.</summary>
    private async Task<DeviceOutcome[]> ForEachDeviceAsync(
        IReadOnlyList<DeviceBatch> batches, Func<IDeviceGrain, ReadingBatch, Task<IngestResult>> call)
    {
        var outcomes = new DeviceOutcome[batches.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batches.Count),
            new ParallelOptions { MaxDegreeOfParallelism = BulkParallelism },
            async (i, _) =>
            {
                try
                {
                    outcomes[i] = new DeviceOutcome(await call(Device(batches[i].Home, batches[i].Device), new ReadingBatch(batches[i].Readings)), null);
                }
                catch (Exception e)
                {
                    outcomes[i] = new DeviceOutcome(null, e);
                }
            });
        return outcomes;
    }

    private IDeviceGrain Device(string home, string device) =>
        grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, device));

    private static InvalidInputException Rejected(string home, string device, IngestResult result, Func<int, string> where)
    {
        var reasons = Reasons(result, where).ToList();
        var first = reasons.Count > 0 ? reasons[0] : "rejected by the device";
        return new InvalidInputException($"{home}/{device}: {first}; nothing of this device's readings was applied.", reasons);
    }

    private static IEnumerable<string> Reasons(IngestResult result, Func<int, string> where) =>
        result.Rejections.Select(r => $"{where(r.Index)} (t={r.T:O}): {r.Reason}");

    private sealed record DeviceOutcome(IngestResult? Result, Exception? Error);
}
