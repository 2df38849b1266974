namespace LumaDB.Engine.Metrics;

/// <summary>A write would have taken the store above its active-series limit; nothing of it was applied.</summary>
public sealed class SeriesLimitExceededException : Exception
{
    /// <summary>Creates the exception for a write of <paramref name="newSeries"/> new series.</summary>
    public SeriesLimitExceededException(long limit, long active, int newSeries)
        : base($"active series limit of {limit} exceeded: {active} series exist and the write adds {newSeries} new series; " +
               "nothing was written (raise [metrics] max_active_series or send fewer distinct series)")
    {
        Limit = limit;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SeriesLimitExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SeriesLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SeriesLimitExceededException()
    {
    }

    /// <summary>The configured limit.</summary>
    public long Limit { get; }
}
