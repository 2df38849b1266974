namespace LumaDB.Protocols.Otlp;

/// <summary>
/// A request is malformed (bad protobuf or JSON, an id of the wrong length, a time out of range): it is
/// refused whole, nothing of it is applied, and the sender must not retry it (HTTP 400, gRPC InvalidArgument).
/// </summary>
public sealed class OtlpInvalidException : Exception
{
    /// <summary>Creates the exception with a message for the sender.</summary>
    public OtlpInvalidException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OtlpInvalidException()
    {
    }

    /// <summary>Creates the exception with a message for the sender and its cause.</summary>
    public OtlpInvalidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
