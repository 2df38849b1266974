using System.Text;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>
/// One parse or type error. <see cref="Range"/> indexes the query string (UTF-16 positions, like the tree);
/// <see cref="ByteRange"/>, <see cref="Line"/> and <see cref="Column"/> count UTF-8 bytes, as Prometheus reports them.
/// </summary>
public sealed record ParseError(PositionRange Range, string Message, string Query)
{
    /// <summary>The error's range in UTF-8 bytes of the query.</summary>
    public PositionRange ByteRange => new(ByteOffset(Range.Start), ByteOffset(Range.End));

    /// <summary>Line (1-based) of the error start.</summary>
    public int Line => LineAndColumn().Line;

    /// <summary>Column (1-based, in bytes from the line start) of the error start.</summary>
    public int Column => LineAndColumn().Column;

    /// <summary>Prometheus's form: <c>1:5: parse error: unexpected ...</c>.</summary>
    public override string ToString()
    {
        if (Range.Start < 0 || Range.Start > Query.Length)
        {
            return "invalid position: parse error: " + Message;
        }

        var (line, column) = LineAndColumn();
        return $"{line}:{column}: parse error: {Message}";
    }

    private (int Line, int Column) LineAndColumn()
    {
        var start = Math.Clamp(Range.Start, 0, Query.Length);
        var lineStart = Query.LastIndexOf('\n', Math.Max(start - 1, 0), start) + 1;
        if (start == 0)
        {
            lineStart = 0;
        }

        var line = 1 + Query.AsSpan(0, lineStart).Count('\n');
        var column = Encoding.UTF8.GetByteCount(Query.AsSpan(lineStart, start - lineStart)) + 1;
        return (line, column);
    }

    private int ByteOffset(int charIndex) =>
        Encoding.UTF8.GetByteCount(Query.AsSpan(0, Math.Clamp(charIndex, 0, Query.Length)));
}
