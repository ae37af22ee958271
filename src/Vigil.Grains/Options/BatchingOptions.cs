namespace Vigil.Grains.Options;

/// <summary><c>Vigil:Batching</c>: how model grains gather requests into forward passes (like Triton's dynamic batcher).</summary>
public sealed class BatchingOptions
{
    public const string Section = "Vigil:Batching";

    /// <summary>Items in one forward pass; 1 turns batching off (the bench's baseline).</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>How long the first request of a batch may wait for company (Triton's <c>max_queue_delay</c>).</summary>
    public double MaxQueueDelayMs { get; set; } = 5;

    /// <summary>Requests one model activation holds before answering <c>OverloadedException</c>: bounds memory.</summary>
    public int MaxQueueLength { get; set; } = 4096;

    /// <summary>Activations (slots) per model kind; devices are spread over them by a stable hash.</summary>
    public int SlotsPerModel { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (MaxBatchSize is < 1 or > 4096) yield return $"{Section}:MaxBatchSize must be 1..4096 (is {MaxBatchSize}).";
        if (!(MaxQueueDelayMs >= 0 && MaxQueueDelayMs <= 1000)) yield return $"{Section}:MaxQueueDelayMs must be 0..1000 (is {MaxQueueDelayMs}).";
        if (MaxQueueLength < MaxBatchSize) yield return $"{Section}:MaxQueueLength must be at least MaxBatchSize ({MaxBatchSize}) (is {MaxQueueLength}).";
        if (SlotsPerModel is < 1 or > 256) yield return $"{Section}:SlotsPerModel must be 1..256 (is {SlotsPerModel}).";
    }
}
