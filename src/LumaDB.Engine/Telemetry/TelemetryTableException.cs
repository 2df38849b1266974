namespace LumaDB.Engine.Telemetry;

/// <summary>A telemetry table exists with a shape the writers cannot fill (for example a user's own otel_traces).</summary>
public sealed class TelemetryTableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TelemetryTableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TelemetryTableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TelemetryTableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
