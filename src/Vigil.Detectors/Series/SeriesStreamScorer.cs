using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Series;

/// <summary>
/// Scores a whole recorded series the way a device grain scores it live: row t's item is the readings up to and
/// including t, standardised with the stream's running statistics of the rows before t, so no row sees the future.
/// Because the detector is fixed while it scores, the items are cut first and pushed through
/// <see cref="ISeriesDetector.ScoreBatch"/> in large batches; the result is identical to scoring row by row.
/// </summary>
public static class SeriesStreamScorer
{
    /// <summary>Raw error per row; rows before the first full item get <see cref="float.NaN"/>.</summary>
    public static float[] RawErrors(ISeriesDetector detector, SeriesData data, int batchSize = 256)
    {
        if (data.Channels != detector.Channels)
            throw new InvalidDataException($"{data.Path}: {data.Channels} value columns, the detector reads {detector.Channels}.");
        var length = detector.InputLength;
        var channels = data.Channels;
        if (data.Rows < length)
            throw new InvalidDataException($"{data.Path}, line {data.Rows + 1}: the series ends after {data.Rows} rows, but one item needs {length} readings (window larger than the series).");

        var errors = new float[data.Rows];
        Array.Fill(errors, float.NaN);
        var stats = new RunningStandardiser[channels];
        var items = new float[batchSize * length * channels];
        var batchErrors = new float[batchSize];
        var pendingRows = new int[batchSize];
        var pending = 0;
        for (var t = 0; t < data.Rows; t++)
        {
            if (t >= length - 1)
            {
                var item = items.AsSpan(pending * length * channels, length * channels);
                for (var k = 0; k < length; k++)
                for (var c = 0; c < channels; c++)
                    item[k * channels + c] = stats[c].Standardise(data[t - length + 1 + k, c]);
                pendingRows[pending++] = t;
                if (pending == batchSize) Flush();
            }
            for (var c = 0; c < channels; c++) stats[c].Add(data[t, c]);
        }
        Flush();
        return errors;

        void Flush()
        {
            if (pending == 0) return;
            detector.ScoreBatch(items.AsSpan(0, pending * length * channels), pending, batchErrors);
            for (var i = 0; i < pending; i++) errors[pendingRows[i]] = batchErrors[i];
            pending = 0;
        }
    }

    /// <summary>Online scores from raw errors (NaN rows score 0 and do not enter the history).</summary>
    public static double[] Scores(ReadOnlySpan<float> rawErrors, StreamScoreState initial = default, StreamScoreOptions? options = null) =>
        Scores(rawErrors, [], initial, options);

    /// <summary>Online scores from raw errors and the readings they came with (<paramref name="values"/>: one per row,
    /// or empty for none), as a device grain scores them: a row's reading enters the history when its error does,
    /// so rows before the first full item (NaN error) score 0 and are not seen, as a grain does not see them either.</summary>
    public static double[] Scores(ReadOnlySpan<float> rawErrors, ReadOnlySpan<double> values, StreamScoreState initial = default, StreamScoreOptions? options = null)
    {
        if (!values.IsEmpty && values.Length != rawErrors.Length)
            throw new ArgumentException($"{values.Length} readings for {rawErrors.Length} raw errors.", nameof(values));
        var state = initial;
        var scores = new double[rawErrors.Length];
        for (var t = 0; t < rawErrors.Length; t++)
            scores[t] = float.IsNaN(rawErrors[t]) ? 0 : StreamScore.Update(ref state, rawErrors[t], values.IsEmpty ? double.NaN : values[t], options);
        return scores;
    }
}
