namespace LumaDB.Query.PromQL.Parser;

/// <summary>Thrown by <see cref="PromQLParser.Parse"/>; the message is the first error in Prometheus's form.</summary>
public sealed class PromQLParseException : Exception
{
    /// <summary>Creates the exception from at least one error.</summary>
    public PromQLParseException(IReadOnlyList<ParseError> errors)
        : base(errors.Count > 0 ? errors[0].ToString() : "parse error")
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public PromQLParseException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public PromQLParseException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates an exception with a message and cause.</summary>
    public PromQLParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>All errors found, in the order Prometheus would report them.</summary>
    public IReadOnlyList<ParseError> Errors { get; }
}
