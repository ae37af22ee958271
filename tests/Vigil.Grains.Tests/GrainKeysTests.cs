using Vigil.Contracts;

namespace Vigil.Grains.Tests;

public sealed class GrainKeysTests
{
    [Fact]
    public void Device_key_joins_home_and_device() => Assert.Equal("home-17/kitchen-temp", GrainKeys.ForDevice("home-17", "kitchen-temp"));
}
