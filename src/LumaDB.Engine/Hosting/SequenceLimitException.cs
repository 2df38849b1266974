using LumaDB.Engine.Catalog;

namespace LumaDB.Engine.Hosting;

/// <summary>A sequence without CYCLE has no value left in the direction it counts.</summary>
public sealed class SequenceLimitException : Exception
{
    /// <summary>Creates the exception for <paramref name="sequence"/>, which ran past its maximum or (counting down) its minimum.</summary>
    public SequenceLimitException(SequenceDefinition sequence, bool maximum)
        : base(maximum
            ? $"nextval: reached maximum value of sequence \"{sequence?.Name}\" ({sequence?.MaxValue})"
            : $"nextval: reached minimum value of sequence \"{sequence?.Name}\" ({sequence?.MinValue})")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SequenceLimitException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SequenceLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SequenceLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
