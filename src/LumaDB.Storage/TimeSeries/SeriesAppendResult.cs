namespace LumaDB.Storage.TimeSeries;

/// <summary>What <see cref="SeriesMemtable.Append"/> did with a sample.</summary>
public enum SeriesAppendResult
{
    /// <summary>Appended after the newest sample of the series.</summary>
    Appended = 0,

    /// <summary>Older than the newest sample but inside the out-of-order window: kept in the series' side buffer.</summary>
    AppendedOutOfOrder = 1,

    /// <summary>Older than the out-of-order window allows: rejected, nothing changed.</summary>
    TooOld = 2,

    /// <summary>Same timestamp and same value bits as the newest sample: nothing to do.</summary>
    Duplicate = 3,

    /// <summary>
    /// Same timestamp as the newest sample but a different value: refused, as Prometheus refuses it. <c>Check</c>
    /// reports it; a direct <c>Append</c> overwrites the value instead when there is an out-of-order window.
    /// </summary>
    DuplicateConflict = 4,
}
