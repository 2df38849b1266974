namespace LumaDB.Query.PromQL.Syntax;

/// <summary>A half-open range <c>[Start, End)</c> of a node or token, as indexes into the query string.</summary>
public readonly record struct PositionRange(int Start, int End)
{
    /// <summary>Joins two ranges into the smallest range covering both.</summary>
    public static PositionRange Merge(PositionRange a, PositionRange b) =>
        new(Math.Min(a.Start, b.Start), Math.Max(a.End, b.End));
}
