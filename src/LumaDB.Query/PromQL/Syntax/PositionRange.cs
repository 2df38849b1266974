namespace LumaDB.Query.PromQL.Syntax;

/// <summary>A half-open byte range <c>[Start, End)</c> of a node or token in the query text.</summary>
public readonly record struct PositionRange(int Start, int End)
{
    /// <summary>Joins two ranges into the smallest range covering both.</summary>
    public static PositionRange Merge(PositionRange a, PositionRange b) =>
        new(Math.Min(a.Start, b.Start), Math.Max(a.End, b.End));

    /// <summary>Line and column (both 1-based) of <see cref="Start"/> in <paramref name="query"/>, counted in bytes as Prometheus does.</summary>
    public (int Line, int Column) LineAndColumn(string query)
    {
        var line = 1;
        var lastBreak = -1;
        var end = Math.Min(Start, query.Length);
        for (var i = 0; i < end; i++)
        {
            if (query[i] == '\n')
            {
                line++;
                lastBreak = i;
            }
        }

        return (line, Start - lastBreak);
    }
}
