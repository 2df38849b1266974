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

    /// <summary>Creates the exception for a transaction whose catalog reads were overtaken by another's DDL.</summary>
    internal TransactionConflictException(string message, bool catalogChanged)
        : base(message) => CatalogChanged = catalogChanged;

    /// <summary>
    /// True when the conflict is with a catalog change committed after the snapshot (DDL against DDL, or a
    /// write to a table whose definition changed), not with another transaction's rows. A statement that
    /// ran alone in its own transaction can run again against the new catalog, as PostgreSQL's would run
    /// once the other side's lock was released.
    /// </summary>
    public bool CatalogChanged { get; }
}
