using Vigil.Detectors.Scoring;
using Vigil.Grains.Devices;

namespace Vigil.Grains.Tests;

public sealed class DetectorTrackTests
{
    [Fact]
    public void Every_field_of_the_stream_score_state_is_persisted()
    {
        // Distinct values in every property, whatever StreamScoreState holds now or later.
        object boxed = default(StreamScoreState);
        var value = 1.5;
        foreach (var property in typeof(StreamScoreState).GetProperties().Where(p => p.CanWrite))
            property.SetValue(boxed, property.PropertyType == typeof(long) ? (object)(long)(value += 1) : value += 1);
        var original = (StreamScoreState)boxed;

        var track = new DetectorTrack();
        track.Store(original);

        Assert.Equal(original, track.Load());
    }

    [Fact]
    public void History_written_before_the_state_grew_reads_back_with_defaults_for_the_new_fields()
    {
        var track = new DetectorTrack { History = [12, 0.5, 0.25, 0.125] };

        var state = track.Load();

        Assert.Equal(new StreamScoreState(12, 0.5, 0.25, 0.125), state);
    }

    [Fact]
    public void A_new_model_version_starts_a_new_history()
    {
        var track = new DetectorTrack { Detector = "lstm-dcnn" };
        for (var i = 0; i < 10; i++) track.Score("v1", 0.5f);
        Assert.Equal(10, track.Count);

        track.Score("v2", 0.5f);

        Assert.Equal(("v2", 1L), (track.Version, track.Count));
    }
}
