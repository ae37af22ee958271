using Vigil.Contracts;

namespace Vigil.Silo.Ingestion;

/// <summary>What an accepted request did, as the 202 answer shows it.</summary>
public sealed record ReadingsAccepted(int Accepted, int Duplicates, int Late, int Devices);

/// <summary>
/// The ingestion path from parsed readings to device grains, shared by the HTTP API and the built-in simulator.
/// A batch the grain rejects is not applied (the grain's contract); the rejection becomes a 400.
/// </summary>
public sealed class ReadingsIngestor(IGrainFactory grains)
{
    /// <summary>Device grains appended to at once by one bulk request; bounds the fan-out of a large request.</summary>
    private const int BulkParallelism = 64;

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
    /// Appends every device's batch. Lines were validated as a whole before this; a grain can still refuse what only
    /// it can judge (timestamps behind its stored window, a channel count that differs from its history).
    /// </summary>
    internal async Task<ReadingsAccepted> IngestAsync(IReadOnlyList<DeviceBatch> batches)
    {
        var results = new IngestResult[batches.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, batches.Count),
            new ParallelOptions { MaxDegreeOfParallelism = BulkParallelism },
            async (i, _) => results[i] = await Device(batches[i].Home, batches[i].Device).AppendAsync(new ReadingBatch(batches[i].Readings)));

        var rejected = Enumerable.Range(0, batches.Count).Where(i => !results[i].Applied).ToList();
        if (rejected.Count > 0)
        {
            var first = rejected[0];
            var problem = Rejected(batches[first].Home, batches[first].Device, results[first], index => $"line {batches[first].Lines[index]}");
            var applied = batches.Count - rejected.Count;
            throw new InvalidInputException(
                applied == 0
                    ? problem.Message
                    : $"{problem.Message} The readings of {rejected.Count} device(s) were not applied; those of the other {applied} were.",
                rejected.SelectMany(i => Reasons(results[i], index => $"line {batches[i].Lines[index]}")).Take(20).ToList());
        }

        return new ReadingsAccepted(
            results.Sum(r => r.Accepted), results.Sum(r => r.Duplicates), results.Sum(r => r.Late), batches.Count);
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
}
