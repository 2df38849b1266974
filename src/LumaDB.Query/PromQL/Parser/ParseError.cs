using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>One parse or type error, located in the query text.</summary>
public sealed record ParseError(PositionRange Range, string Message, string Query)
{
    /// <summary>Line (1-based) of the error start.</summary>
    public int Line => Range.LineAndColumn(Query).Line;

    /// <summary>Column (1-based, in bytes from the line start) of the error start.</summary>
    public int Column => Range.LineAndColumn(Query).Column;

    /// <summary>Prometheus's form: <c>1:5: parse error: unexpected ...</c>.</summary>
    public override string ToString()
    {
        if (Range.Start < 0 || Range.Start > Query.Length)
        {
            return "invalid position: parse error: " + Message;
        }

        var (line, column) = Range.LineAndColumn(Query);
        return $"{line}:{column}: parse error: {Message}";
    }
}
