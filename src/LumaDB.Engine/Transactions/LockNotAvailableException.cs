namespace LumaDB.Engine.Transactions;

/// <summary>A row lock was not granted within the transaction's lock timeout (SQLSTATE 55P03).</summary>
public sealed class LockNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LockNotAvailableException()
        : base("canceling statement due to lock timeout")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LockNotAvailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public LockNotAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
