namespace Vigil.Contracts;

/// <summary>
/// Retryable: a model grain's queue is full. The HTTP API answers 429/503 with <c>Retry-After</c> =
/// <see cref="RetryAfter"/>; nothing of the request was applied.
/// </summary>
[GenerateSerializer, Alias("vigil.overloaded")]
public sealed class OverloadedException : Exception
{
    public OverloadedException(string message, TimeSpan retryAfter) : base(message) => RetryAfter = retryAfter;

    public OverloadedException() : this("Overloaded.", TimeSpan.FromSeconds(1)) { }

    public OverloadedException(string message) : this(message, TimeSpan.FromSeconds(1)) { }

    public OverloadedException(string message, Exception inner) : base(message, inner) => RetryAfter = TimeSpan.FromSeconds(1);

    [Id(0)]
    public TimeSpan RetryAfter { get; private set; }
}
