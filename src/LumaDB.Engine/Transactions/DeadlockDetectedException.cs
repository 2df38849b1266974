namespace LumaDB.Engine.Transactions;

/// <summary>
/// Waiting for a row lock would close a cycle of transactions each waiting for the next: the waiter that would
/// close it fails instead (SQLSTATE 40P01), so the others can go on once it rolls back.
/// </summary>
public sealed class DeadlockDetectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DeadlockDetectedException()
        : base("deadlock detected")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeadlockDetectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public DeadlockDetectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
