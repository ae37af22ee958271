using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>
/// Records the silo's Error and Critical log entries (unhandled exceptions land there) while a fuzz run is on.
/// Attached to the running silo's logger factory, so it sees ASP.NET Core, Kestrel, Orleans and Vigil alike.
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();
    private volatile bool _recording;

    public static LogCapture AttachTo(SiloFixture silo)
    {
        var capture = new LogCapture();
        silo.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        return capture;
    }

    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>Starts recording afresh; the factory cannot drop a provider, so stopping is the provider's job.</summary>
    public void Start()
    {
        _entries.Clear();
        _recording = true;
    }

    public void Stop() => _recording = false;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() => _recording = false;

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner._recording && IsEnabled(logLevel))
            {
                owner._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
            }
        }
    }
}
