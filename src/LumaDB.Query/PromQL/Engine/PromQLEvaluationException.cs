namespace LumaDB.Query.PromQL.Engine;

/// <summary>A query failed while being evaluated; the message is Prometheus's text where one exists.</summary>
public sealed class PromQLEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PromQLEvaluationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PromQLEvaluationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PromQLEvaluationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
