using TorchSharp;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Runtime;

public sealed class TorchThreadsTests
{
    /// <summary>Runs <paramref name="work"/> on a fresh thread: OpenMP keeps its thread count per calling thread.</summary>
    private static T OnNewThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }

    [Fact]
    public void The_configured_count_reaches_scoring_threads_and_is_not_reset_on_the_thread_that_chose_it()
    {
        // One more than the default (half the cores), so the default cannot pass for the chosen count.
        var chosen = Math.Max(1, Environment.ProcessorCount / 2) + 1;
        var (onChoosingThread, onScoringThread) = OnNewThread(() =>
        {
            try
            {
                TorchThreads.Configure(chosen);
                TorchThreads.ApplyToCurrentThread(); // what every ScoreBatch does first
                var here = torch.get_num_threads();
                return (here, OnNewThread(() => { TorchThreads.ApplyToCurrentThread(); return torch.get_num_threads(); }));
            }
            finally
            {
                TorchThreads.Configure(1); // the count the other test classes train and score with
            }
        });
        Assert.Equal(chosen, onChoosingThread);
        Assert.Equal(chosen, onScoringThread);
        Assert.Equal(1, OnNewThread(() => { TorchThreads.ApplyToCurrentThread(); return torch.get_num_threads(); }));
    }
}
