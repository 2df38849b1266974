namespace LumaDB.Protocols.Otlp;

/// <summary>OTLP times (fixed64 nanoseconds since the Unix epoch) as the signed nanoseconds the tables keep.</summary>
public static class OtlpTime
{
    /// <summary>The time as signed nanoseconds; throws <see cref="OtlpInvalidException"/> past the year 2262.</summary>
    public static long ToNanos(ulong unixNanos, string what) =>
        unixNanos <= long.MaxValue ? (long)unixNanos : throw new OtlpInvalidException($"{what} {unixNanos} is out of range");
}
