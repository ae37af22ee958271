using System.Collections.Concurrent;
using System.Diagnostics;
using Vigil.Contracts;
using Vigil.Grains.Options;
using Vigil.Telemetry;

namespace Vigil.Grains.Models;

/// <summary>
/// Gathers single requests into batches for one forward pass each, on a dedicated thread so a TorchSharp call never
/// blocks the Orleans scheduler. A batch closes when it holds <see cref="BatchingOptions.MaxBatchSize"/> items or when
/// its first item has waited <see cref="BatchingOptions.MaxQueueDelayMs"/> (Triton's <c>max_queue_delay</c>). The queue
/// is bounded: a full queue answers <see cref="OverloadedException"/> at once instead of growing without limit.
/// <see cref="DrainAsync"/> stops intake, lets every queued request finish, then returns (used by hot swap).
/// </summary>
/// <typeparam name="TItem">One caller's input.</typeparam>
/// <typeparam name="TResult">One caller's output.</typeparam>
public sealed class DynamicBatcher<TItem, TResult>
{
    /// <summary>Computes <c>results[i]</c> for <c>items[i]</c>, for the whole batch at once.</summary>
    public delegate void Forward(ReadOnlySpan<TItem> items, Span<TResult> results);

    private readonly BlockingCollection<Pending> queue;
    private readonly Forward forward;
    private readonly int maxBatchSize;
    private readonly TimeSpan maxQueueDelay;
    private readonly KeyValuePair<string, object?>[] tags;
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double forwardMsPerItem = 1;
    private long batches;
    private long items;
    private int largestBatch;

    public DynamicBatcher(string name, Forward forward, BatchingOptions options, params KeyValuePair<string, object?>[] tags)
    {
        this.forward = forward;
        this.tags = tags;
        maxBatchSize = options.MaxBatchSize;
        maxQueueDelay = TimeSpan.FromMilliseconds(options.MaxQueueDelayMs);
        queue = new BlockingCollection<Pending>(new ConcurrentQueue<Pending>(), options.MaxQueueLength);
        var thread = new Thread(Run) { IsBackground = true, Name = $"batcher {name}" };
        // Not Start(): that would capture the creating call's ExecutionContext, and with it its Activity.Current,
        // making every batch span a child of whichever request happened to activate the grain.
        thread.UnsafeStart();
    }

    public int QueueLength => queue.Count;
    public long Batches => Interlocked.Read(ref batches);
    public long Items => Interlocked.Read(ref items);
    public int LargestBatch => Volatile.Read(ref largestBatch);

    /// <summary>Queues one item; the task completes (off the batch thread) when its batch has run.</summary>
    /// <exception cref="OverloadedException">The queue is full; nothing was queued.</exception>
    public Task<BatchedResult<TResult>> EnqueueAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<BatchedResult<TResult>>(TaskCreationOptions.RunContinuationsAsynchronously),
            Stopwatch.GetTimestamp(), Activity.Current?.Context ?? default);
        if (!queue.TryAdd(pending))
            throw new OverloadedException($"Model queue is full ({queue.BoundedCapacity} requests waiting).", RetryAfter());
        VigilDiagnostics.ModelQueueDepth.Add(1, tags);
        return pending.Done.Task;
    }

    /// <summary>Stops intake; completes once every queued request has been answered.</summary>
    public Task DrainAsync()
    {
        queue.CompleteAdding();
        return drained.Task;
    }

    /// <summary>Time to work off a full queue at the measured per-item speed: what a client should wait before retrying.</summary>
    private TimeSpan RetryAfter() =>
        TimeSpan.FromMilliseconds(Math.Clamp(queue.Count * Volatile.Read(ref forwardMsPerItem), 100, 30_000));

    private void Run()
    {
        var batch = new Pending[maxBatchSize];
        var inputs = new TItem[maxBatchSize];
        var results = new TResult[maxBatchSize];
        while (queue.TryTake(out var first, Timeout.Infinite))
        {
            var count = Gather(first, batch);
            RunBatch(batch, inputs, results, count);
            Array.Clear(batch, 0, count);
            Array.Clear(inputs, 0, count);
        }
        drained.TrySetResult();
    }

    private int Gather(Pending first, Pending[] batch)
    {
        batch[0] = first;
        var count = 1;
        var deadline = first.EnqueuedAt + (long)(maxQueueDelay.TotalSeconds * Stopwatch.Frequency);
        while (count < batch.Length)
        {
            if (queue.TryTake(out var next))
            {
                batch[count++] = next;
                continue;
            }
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero || queue.IsAddingCompleted || !queue.TryTake(out next, remaining))
                break;
            batch[count++] = next;
        }
        return count;
    }

    private void RunBatch(Pending[] batch, TItem[] inputs, TResult[] results, int count)
    {
        var started = Stopwatch.GetTimestamp();
        VigilDiagnostics.ModelQueueDepth.Add(-count, tags);
        var links = new ActivityLink[count];
        for (var i = 0; i < count; i++)
        {
            inputs[i] = batch[i].Item;
            links[i] = new ActivityLink(batch[i].Caller);
        }
        // A root span linked to each caller's span: a batch serves many traces and has no single parent.
        using var activity = VigilDiagnostics.ActivitySource.StartActivity("vigil.model.batch", ActivityKind.Internal, default(ActivityContext), tags, links);
        activity?.SetTag(VigilDiagnostics.Tags.BatchSize, count);
        activity?.SetTag(VigilDiagnostics.Tags.QueueWaitMs, Stopwatch.GetElapsedTime(batch[0].EnqueuedAt, started).TotalMilliseconds);
        try
        {
            forward(inputs.AsSpan(0, count), results.AsSpan(0, count));
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            for (var i = 0; i < count; i++)
                batch[i].Done.TrySetException(e);
            return;
        }

        var forwardMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Volatile.Write(ref forwardMsPerItem, 0.9 * forwardMsPerItem + 0.1 * (forwardMs / count));
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref items, count);
        if (count > largestBatch) Volatile.Write(ref largestBatch, count);
        activity?.SetTag(VigilDiagnostics.Tags.ForwardMs, forwardMs);
        VigilDiagnostics.InferenceDuration.Record(forwardMs, tags);
        VigilDiagnostics.InferenceBatchSize.Record(count, tags);
        for (var i = 0; i < count; i++)
        {
            var wait = Stopwatch.GetElapsedTime(batch[i].EnqueuedAt, started);
            VigilDiagnostics.InferenceQueueWait.Record(wait.TotalMilliseconds, tags);
            batch[i].Done.TrySetResult(new BatchedResult<TResult>(results[i], count, wait));
        }
    }

    private readonly record struct Pending(TItem Item, TaskCompletionSource<BatchedResult<TResult>> Done, long EnqueuedAt, ActivityContext Caller);
}
