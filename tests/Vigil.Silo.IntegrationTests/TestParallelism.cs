// Each test starts its own silo processes and redis-server; two at once would compete for the machine's cores and
// turn timing figures (time to resume, time to exit) into measurements of each other.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
