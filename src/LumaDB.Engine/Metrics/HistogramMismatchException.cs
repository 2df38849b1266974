namespace LumaDB.Engine.Metrics;

/// <summary>Two histograms whose bucket layouts cannot be combined.</summary>
public sealed class HistogramMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HistogramMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HistogramMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HistogramMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
