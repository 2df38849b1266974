namespace LumaDB.Query.PromQL.Engine;

/// <summary>A query needed more samples in memory at once than its limit allows.</summary>
public sealed class PromQLTooManySamplesException : Exception
{
    /// <summary>Creates the exception with Prometheus's message.</summary>
    public PromQLTooManySamplesException()
        : base("query processing would load too many samples into memory in query execution")
    {
    }

    /// <summary>Creates the exception.</summary>
    public PromQLTooManySamplesException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PromQLTooManySamplesException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
