using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>One token: kind, text as written, and byte offset.</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    /// <summary>The token's byte range.</summary>
    public PositionRange Range => new(Position, Position + Text.Length);

    /// <summary>Whether the token is a binary operator (symbolic or keyword).</summary>
    public bool IsOperator => Kind is >= TokenKind.Add and <= TokenKind.Atan2;

    /// <summary>Whether the token is a word keyword other than operators and aggregators.</summary>
    public bool IsKeyword => Kind is >= TokenKind.By and <= TokenKind.Smoothed;

    /// <summary>How the token is named in "unexpected ..." messages, as Prometheus names it.</summary>
    public string Describe()
    {
        switch (Kind)
        {
            case TokenKind.Eof: return "end of input";
            case TokenKind.Error: return Text;
            case TokenKind.Identifier: return "identifier " + GoText.Quote(Text);
            case TokenKind.MetricIdentifier: return "metric identifier " + GoText.Quote(Text);
            case TokenKind.Number: return "number " + QuoteShort(Text);
            case TokenKind.Duration: return "duration " + QuoteShort(Text);
            case TokenKind.String: return "string " + QuoteShort(Text);
            case TokenKind.Aggregator: return "<aggr:" + Text + ">";
            case TokenKind.Start or TokenKind.End: return GoText.Quote(Text);
            default:
                if (IsOperator)
                {
                    return "<op:" + Text + ">";
                }

                return IsKeyword ? "<" + Text + ">" : GoText.Quote(Text);
        }
    }

    // Go's "%.10q...": long token texts are cut to ten characters before quoting.
    private static string QuoteShort(string text) =>
        text.Length > 10 ? GoText.Quote(text[..10]) + "..." : GoText.Quote(text);
}
