namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>A request the API refuses, answered in Prometheus's error form with the type's status.</summary>
public sealed class PromApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PromApiException(PromErrorType type, string message)
        : base(message)
    {
        Type = type;
    }

    /// <summary>Creates a bad_data exception.</summary>
    public PromApiException()
        : this(PromErrorType.BadData, "bad request")
    {
    }

    /// <summary>Creates a bad_data exception.</summary>
    public PromApiException(string message)
        : this(PromErrorType.BadData, message)
    {
    }

    /// <summary>Creates a bad_data exception.</summary>
    public PromApiException(string message, Exception inner)
        : base(message, inner)
    {
        Type = PromErrorType.BadData;
    }

    /// <summary>The error type.</summary>
    public PromErrorType Type { get; }

    /// <summary>Prometheus's "invalid parameter" error.</summary>
    public static PromApiException InvalidParam(string parameter, string message) =>
        new(PromErrorType.BadData, $"invalid parameter \"{parameter}\": {message}");
}
