namespace LumaDB.Query.Sql.Syntax;

/// <summary>Set operation kind.</summary>
public enum SetOperator
{
    /// <summary>UNION</summary>
    Union,
    /// <summary>INTERSECT</summary>
    Intersect,
    /// <summary>EXCEPT</summary>
    Except,
}

/// <summary>Sort direction of an ORDER BY item.</summary>
public enum SortDirection
{
    /// <summary>Not written (ascending).</summary>
    Default,
    /// <summary>ASC</summary>
    Ascending,
    /// <summary>DESC</summary>
    Descending,
    /// <summary>USING operator</summary>
    Using,
}

/// <summary>NULLS FIRST / NULLS LAST.</summary>
public enum NullsOrder
{
    /// <summary>Not written.</summary>
    Default,
    /// <summary>NULLS FIRST</summary>
    First,
    /// <summary>NULLS LAST</summary>
    Last,
}

/// <summary>Join type.</summary>
public enum JoinKind
{
    /// <summary>[INNER] JOIN</summary>
    Inner,
    /// <summary>LEFT [OUTER] JOIN</summary>
    Left,
    /// <summary>RIGHT [OUTER] JOIN</summary>
    Right,
    /// <summary>FULL [OUTER] JOIN</summary>
    Full,
    /// <summary>CROSS JOIN</summary>
    Cross,
}

/// <summary>[NOT] MATERIALIZED on a CTE.</summary>
public enum CteMaterialization
{
    /// <summary>Not written.</summary>
    Default,
    /// <summary>MATERIALIZED</summary>
    Materialized,
    /// <summary>NOT MATERIALIZED</summary>
    NotMaterialized,
}

/// <summary>Row lock strength.</summary>
public enum LockStrength
{
    /// <summary>FOR UPDATE</summary>
    Update,
    /// <summary>FOR NO KEY UPDATE</summary>
    NoKeyUpdate,
    /// <summary>FOR SHARE</summary>
    Share,
    /// <summary>FOR KEY SHARE</summary>
    KeyShare,
}

/// <summary>What a row lock does when the row is already locked.</summary>
public enum LockWaitPolicy
{
    /// <summary>Wait.</summary>
    Wait,
    /// <summary>NOWAIT</summary>
    NoWait,
    /// <summary>SKIP LOCKED</summary>
    SkipLocked,
}

/// <summary>Window frame unit.</summary>
public enum FrameUnit
{
    /// <summary>ROWS</summary>
    Rows,
    /// <summary>RANGE</summary>
    Range,
    /// <summary>GROUPS</summary>
    Groups,
}

/// <summary>Window frame bound kind.</summary>
public enum FrameBoundKind
{
    /// <summary>UNBOUNDED PRECEDING</summary>
    UnboundedPreceding,
    /// <summary>offset PRECEDING</summary>
    Preceding,
    /// <summary>CURRENT ROW</summary>
    CurrentRow,
    /// <summary>offset FOLLOWING</summary>
    Following,
    /// <summary>UNBOUNDED FOLLOWING</summary>
    UnboundedFollowing,
}

/// <summary>Window frame EXCLUDE option.</summary>
public enum FrameExclusion
{
    /// <summary>Not written (EXCLUDE NO OTHERS).</summary>
    NoOthers,
    /// <summary>EXCLUDE CURRENT ROW</summary>
    CurrentRow,
    /// <summary>EXCLUDE GROUP</summary>
    Group,
    /// <summary>EXCLUDE TIES</summary>
    Ties,
}
