namespace LumaDB.Protocols.Otlp;

/// <summary>
/// The server cannot take the request now (storage still recovering, too many requests in flight): the sender
/// should retry after <see cref="RetryAfter"/> (HTTP 503 or 429 with Retry-After, gRPC Unavailable).
/// </summary>
public sealed class OtlpUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OtlpUnavailableException(string message, bool overloaded, TimeSpan retryAfter)
        : base(message)
    {
        Overloaded = overloaded;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception.</summary>
    public OtlpUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OtlpUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OtlpUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when too many requests are in flight (HTTP 429); false when the server is not ready (503).</summary>
    public bool Overloaded { get; }

    /// <summary>How long the sender should wait before retrying.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
