namespace Vigil.Grains.Models;

/// <summary>One caller's result, with the batch it rode in: how many shared the forward pass and how long it queued.</summary>
public readonly record struct BatchedResult<TResult>(TResult Value, int BatchSize, TimeSpan QueueWait);
