namespace Vigil.Silo.Ingestion;

/// <summary>Input the API refuses with 400; <see cref="Exception.Message"/> says what is wrong and where.</summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string message, IReadOnlyList<string>? details = null) : base(message) =>
        Details = details ?? [];

    /// <summary>Further problems of the same request (e.g. every bad NDJSON line, up to a bound).</summary>
    public IReadOnlyList<string> Details { get; }
}
