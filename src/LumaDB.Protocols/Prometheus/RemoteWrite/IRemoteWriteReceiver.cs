namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Where validated remote write requests go: the metric store's write path.</summary>
public interface IRemoteWriteReceiver
{
    /// <summary>
    /// Applies one request that has already passed validation, decoding it with <paramref name="decoder"/> into the
    /// store. Throws <see cref="RemoteWriteRejectedException"/> when the store refuses the request as a whole
    /// (for example the active-series limit), before applying any of it.
    /// </summary>
    ValueTask<RemoteWriteCounts> ApplyAsync(ReadOnlyMemory<byte> body, RemoteWriteVersion version, RemoteWriteDecoder decoder, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="ApplyAsync"/> decodes the whole request before it applies any of it and answers a
    /// malformed one with a 400 <see cref="RemoteWriteRejectedException"/>: then the endpoint skips its own
    /// validation pass, which would decode every request twice.
    /// </summary>
    bool DecodesBeforeApplying => false;
}

/// <summary>The store refused a whole request; the status says whether the sender should retry.</summary>
public sealed class RemoteWriteRejectedException : Exception
{
    /// <summary>Creates the exception with the HTTP status to answer (400 never retried, 429/503 retried).</summary>
    public RemoteWriteRejectedException(int statusCode, string message)
        : base(message) => StatusCode = statusCode;

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; }

    /// <summary>What was written despite the refusal (part of a request kept), for the 2.0 response headers.</summary>
    public RemoteWriteCounts? Written { get; init; }
}
