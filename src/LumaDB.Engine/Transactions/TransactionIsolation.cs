namespace LumaDB.Engine.Transactions;

/// <summary>How a transaction sees other transactions' commits.</summary>
public enum TransactionIsolation
{
    /// <summary>
    /// Each statement reads a fresh snapshot (<see cref="Transaction.BeginStatement"/>); a row locked for writing
    /// is re-read at its newest committed version, so concurrent updates of a row serialize instead of failing.
    /// </summary>
    ReadCommitted,

    /// <summary>One snapshot for the whole transaction; a write to a row committed by another after it fails (first committer wins).</summary>
    RepeatableRead,

    /// <summary>Treated as <see cref="RepeatableRead"/>: snapshot isolation with first-committer-wins.</summary>
    Serializable,
}
