namespace LumaDB.Storage.Segments;

/// <summary>A half-open time range [<see cref="FromMicros"/>, <see cref="ToMicros"/>) in microseconds since the Unix epoch, UTC.</summary>
public readonly record struct TimeRange(long FromMicros, long ToMicros)
{
    /// <summary>Builds a range from two instants.</summary>
    public static TimeRange Between(DateTimeOffset from, DateTimeOffset to) => new(MicrosOf(from), MicrosOf(to));

    /// <summary>Whether <paramref name="micros"/> lies in the range.</summary>
    public bool Contains(long micros) => micros >= FromMicros && micros < ToMicros;

    /// <summary>Whether the closed interval [min, max] shares any instant with the range.</summary>
    public bool Overlaps(long minMicros, long maxMicros) => maxMicros >= FromMicros && minMicros < ToMicros;

    /// <summary>Whether the closed interval [min, max] lies wholly inside the range.</summary>
    public bool Covers(long minMicros, long maxMicros) => minMicros >= FromMicros && maxMicros < ToMicros;

    /// <summary>Microseconds since the Unix epoch.</summary>
    public static long MicrosOf(DateTimeOffset instant) => (instant.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
}
