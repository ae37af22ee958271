using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Tests.Runtime;

/// <summary>
/// The no-GC region is process-wide and ends by itself once a step allocates past its budget, so leaving one must not
/// throw whatever other threads did in between (a fresh-clone CI run failed a training fixture with "NoGCRegion mode
/// must be set" when the mode was checked before ending it).
/// </summary>
public sealed class NoGcRegionTests
{
    [Fact]
    public void Steps_on_several_threads_that_overrun_the_budget_leave_their_regions_quietly()
    {
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            try
            {
                for (var i = 0; i < 300; i++)
                {
                    using var region = NoGcRegion.Enter();
                    // Some steps stay within the 32 MB budget, some overrun it (the runtime then ends the region).
                    var garbage = new byte[(i % 5) * 12 * 1024 * 1024];
                    GC.KeepAlive(garbage);
                }
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(errors);
    }

    [Fact]
    public void A_region_ended_by_an_induced_collection_is_left_quietly()
    {
        var region = NoGcRegion.Enter();
        GC.Collect();
        region.Dispose();
    }
}
