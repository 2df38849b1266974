namespace LumaDB.Engine.Transactions;

/// <summary>
/// A transaction lost a write-write conflict: a key it wrote was committed by another transaction after its
/// snapshot (first committer wins). Nothing of the losing transaction was applied; the query layer reports
/// SQLSTATE 40001.
/// </summary>
public sealed class TransactionConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransactionConflictException()
        : base("could not serialize access due to concurrent update")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransactionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransactionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
