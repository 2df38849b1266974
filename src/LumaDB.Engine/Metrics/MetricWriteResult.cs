namespace LumaDB.Engine.Metrics;

/// <summary>What a <see cref="MetricStore.WriteAsync"/> did with a batch's samples.</summary>
/// <param name="SeriesCreated">Series seen for the first time.</param>
/// <param name="Written">Samples stored (in order and out of order).</param>
/// <param name="OutOfOrder">Of <paramref name="Written"/>, the late samples accepted inside the window.</param>
/// <param name="Duplicates">Exact repeats of a series' newest sample, ignored as Prometheus ignores them.</param>
/// <param name="TooOld">Samples older than the out-of-order window allows: refused.</param>
/// <param name="Conflicts">A different value at a series' newest timestamp: refused.</param>
public readonly record struct MetricWriteResult(int SeriesCreated, int Written, int OutOfOrder, int Duplicates, int TooOld, int Conflicts)
{
    /// <summary>Samples refused (too old or conflicting).</summary>
    public int Refused => TooOld + Conflicts;

    /// <summary>Native histogram samples stored; their refusals count in <see cref="TooOld"/> and <see cref="Conflicts"/>.</summary>
    public int HistogramsWritten { get; init; }
}
