namespace LumaDB.Query.Sql.Sessions;

/// <summary>Where a session stands with respect to an explicit transaction (PostgreSQL's ReadyForQuery status I, T, E).</summary>
public enum SessionTransactionState
{
    /// <summary>No transaction block; each statement commits on its own.</summary>
    Idle,

    /// <summary>Inside BEGIN ... COMMIT.</summary>
    InBlock,

    /// <summary>Inside a block after an error: statements are refused until ROLLBACK.</summary>
    Failed,
}
