using Vigil.Contracts;

namespace Vigil.Grains.Tests;

public sealed class GrainKeysTests
{
    [Fact]
    public void Device_key_joins_home_and_device() => Assert.Equal("home-17/kitchen-temp", GrainKeys.ForDevice("home-17", "kitchen-temp"));

    [Fact]
    public void A_fleet_key_is_detector_and_kind_and_refuses_a_bad_kind()
    {
        Assert.Equal("lstm-dcnn/power", GrainKeys.ForFleet("lstm-dcnn", "power"));
        Assert.Contains("kind id", Assert.Throws<ArgumentException>(() => GrainKeys.ForFleet("lstm-dcnn", "a/b")).Message);
    }

    [Fact]
    public void Model_key_round_trips() => Assert.Equal(("lstm-dcnn", "latest", 3), GrainKeys.ParseModel(GrainKeys.ForModel("lstm-dcnn", "latest", 3)));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("a b", "contains ' '")]
    [InlineData("..", "is a dot path")]
    public void Bad_ids_are_named(string id, string problem)
    {
        Assert.Equal(problem, GrainKeys.Check(id)?[..problem.Length]);
        var e = Assert.Throws<ArgumentException>(() => GrainKeys.ForDevice("home-1", id));
        Assert.Contains("device id", e.Message);
    }

    [Fact]
    public void Ids_are_bounded()
    {
        Assert.Null(GrainKeys.Check(new string('a', GrainKeys.MaxIdLength)));
        Assert.NotNull(GrainKeys.Check(new string('a', GrainKeys.MaxIdLength + 1)));
    }

    [Fact]
    public void Slot_is_stable_and_spreads()
    {
        // Fixed expectation: FNV-1a must not change between runs or processes (string.GetHashCode would).
        Assert.Equal(GrainKeys.SlotFor("home-1/temp", 1000), GrainKeys.SlotFor("home-1/temp", 1000));
        var counts = new int[4];
        for (var i = 0; i < 400; i++)
            counts[GrainKeys.SlotFor($"home-{i}/temp", 4)]++;
        Assert.All(counts, c => Assert.InRange(c, 60, 140));
    }
}
