namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>The error types of the Prometheus HTTP API and the status each is answered with.</summary>
public enum PromErrorType
{
    /// <summary>Malformed parameters or query: 400.</summary>
    BadData,

    /// <summary>The query could not be executed: 422.</summary>
    Execution,

    /// <summary>The query hit its time limit: 503.</summary>
    Timeout,

    /// <summary>The query was canceled: 503.</summary>
    Canceled,

    /// <summary>Something broke inside the server: 500.</summary>
    Internal,

    /// <summary>The server cannot serve now: 503.</summary>
    Unavailable,

    /// <summary>No such resource: 404.</summary>
    NotFound,
}

/// <summary>Mapping of error types to their wire names and HTTP status codes.</summary>
public static class PromErrorTypes
{
    /// <summary>The <c>errorType</c> string.</summary>
    public static string Name(PromErrorType type) => type switch
    {
        PromErrorType.BadData => "bad_data",
        PromErrorType.Execution => "execution",
        PromErrorType.Timeout => "timeout",
        PromErrorType.Canceled => "canceled",
        PromErrorType.Internal => "internal",
        PromErrorType.Unavailable => "unavailable",
        _ => "not_found",
    };

    /// <summary>The HTTP status Prometheus answers the error type with.</summary>
    public static int StatusCode(PromErrorType type) => type switch
    {
        PromErrorType.BadData => 400,
        PromErrorType.Execution => 422,
        PromErrorType.Timeout or PromErrorType.Canceled or PromErrorType.Unavailable => 503,
        PromErrorType.Internal => 500,
        _ => 404,
    };
}
