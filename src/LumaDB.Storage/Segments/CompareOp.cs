namespace LumaDB.Storage.Segments;

/// <summary>Comparison operators a scan can push down to row-group statistics and row filtering.</summary>
public enum CompareOp : byte
{
    /// <summary>column = constant.</summary>
    Equal = 1,

    /// <summary>column &lt; constant.</summary>
    Less = 2,

    /// <summary>column &lt;= constant.</summary>
    LessOrEqual = 3,

    /// <summary>column &gt; constant.</summary>
    Greater = 4,

    /// <summary>column &gt;= constant.</summary>
    GreaterOrEqual = 5,
}
