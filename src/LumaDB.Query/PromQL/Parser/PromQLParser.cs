using System.Globalization;
using System.Runtime.CompilerServices;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>
/// Hand-written recursive-descent PromQL parser with Prometheus 3.x grammar, precedence, error
/// messages and static type checks. Entry points: <see cref="TryParse"/> (never throws on bad input)
/// and <see cref="Parse"/> (throws <see cref="PromQLParseException"/>). Feature-flagged syntax is
/// governed by <see cref="PromQLParserOptions"/>.
/// </summary>
public sealed partial class PromQLParser
{
    private readonly string _query;
    private readonly IReadOnlyList<Token> _tokens;
    private readonly List<ParseError> _errors = [];
    private readonly PromQLParserOptions _options;
    private int _index;

    // Errors inside an aggregation body are reported "in aggregation", as Prometheus's grammar recovers there.
    private int _aggregationDepth;

    private PromQLParser(string query, PromQLParserOptions options)
    {
        _query = query;
        _options = options;
        _tokens = PromQLLexer.Tokenize(query);
    }

    /// <summary>
    /// Parses and (unless disabled in <paramref name="options"/>) type-checks <paramref name="query"/>;
    /// returns the tree or the errors. Never throws on malformed input.
    /// </summary>
    public static ParseResult TryParse(string query, PromQLParserOptions? options = null)
    {
        var parser = new PromQLParser(query, options ?? PromQLParserOptions.Default);
        var expr = parser.Run();
        return parser._errors.Count == 0 ? new ParseResult(expr, []) : new ParseResult(null, parser._errors);
    }

    /// <summary>Parses and type-checks <paramref name="query"/>; throws <see cref="PromQLParseException"/> if invalid.</summary>
    public static Expr Parse(string query, PromQLParserOptions? options = null)
    {
        var result = TryParse(query, options);
        if (!result.Success)
        {
            throw new PromQLParseException(result.Errors);
        }

        return result.Expression!;
    }

    private Expr? Run()
    {
        try
        {
            if (Current.Kind == TokenKind.Eof)
            {
                AddError(new PositionRange(0, 0), "no expression found in input");
                return null;
            }

            var expr = ParseExpr(0);
            if (Current.Kind != TokenKind.Eof)
            {
                UnexpectedGeneric();
            }

            if (_errors.Count == 0 && _options.CheckTypes)
            {
                new PromQLTypeChecker(_query, _errors).Check(expr);
            }

            return expr;
        }
        catch (PromQLParseException)
        {
            // A syntax error was recorded; the parse stops at the first one.
            return null;
        }
        catch (InsufficientExecutionStackException)
        {
            // Nesting deep enough to threaten the stack is refused rather than allowed to crash the process.
            AddError(Current.Range, "expression is too deeply nested");
            return null;
        }
    }

    private Token Current => _tokens[_index];

    private static void GuardStack() => RuntimeHelpers.EnsureSufficientExecutionStack();

    private Token PeekAt(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Advance()
    {
        var t = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return t;
    }

    private Token Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            UnexpectedGeneric();
        }

        return Advance();
    }

    private void AddError(PositionRange range, string message) => _errors.Add(new ParseError(range, message, _query));

    private void UnexpectedGeneric() => Unexpected(_aggregationDepth > 0 ? "aggregation" : null, null);

    /// <summary>Records "unexpected &lt;token&gt; in &lt;context&gt;, expected &lt;what&gt;" and aborts the parse.</summary>
    private void Unexpected(string? context, string? expected)
    {
        var t = Current;
        if (t.Kind == TokenKind.Error)
        {
            // Lexical errors are reported with their own message, once.
            AddError(new PositionRange(t.Position, t.Position + 1), t.Text);
        }
        else
        {
            var message = "unexpected " + t.Describe();
            if (!string.IsNullOrEmpty(context))
            {
                message += " in " + context;
            }

            if (!string.IsNullOrEmpty(expected))
            {
                message += ", expected " + expected;
            }

            AddError(t.Range, message);
        }

        throw new PromQLParseException();
    }

    private NumberLiteral NumberFromToken(Token t)
    {
        if (t.Kind == TokenKind.Duration)
        {
            if (!PromDuration.TryParse(t.Text, out var d, out var error))
            {
                AddError(t.Range, error!);
            }

            return new NumberLiteral(d.TotalSeconds, t.Range, isDuration: true);
        }

        if (!TryParseNumber(t.Text, out var value))
        {
            AddError(t.Range, "error parsing number: " + t.Text);
        }

        return new NumberLiteral(value, t.Range);
    }

    /// <summary>
    /// Converts number text as Prometheus does: Go integer syntax first (hex, legacy octal, underscores),
    /// then Go float syntax; <c>Inf</c> and <c>NaN</c> in any case.
    /// </summary>
    public static bool TryParseNumber(string text, out double value)
    {
        var lower = text.ToLowerInvariant();
        switch (lower)
        {
            case "inf" or "+inf":
                value = double.PositiveInfinity;
                return true;
            case "-inf":
                value = double.NegativeInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }

        var s = lower.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        if (s.StartsWith("0x", StringComparison.Ordinal))
        {
            var ok = ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex);
            value = negative ? -(double)hex : hex;
            return ok && s.Length > 2;
        }

        if (s.Length > 1 && s[0] == '0' && s.All(c => c is >= '0' and <= '7'))
        {
            double octal = 0;
            foreach (var c in s)
            {
                octal = (octal * 8) + (c - '0');
            }

            value = negative ? -octal : octal;
            return true;
        }

        var parsed = double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
        if (negative)
        {
            value = -value;
        }

        return parsed;
    }

    private string UnquoteToken(Token t)
    {
        var value = GoText.Unquote(t.Text);
        if (value is null)
        {
            AddError(t.Range, "invalid syntax");
            return "";
        }

        return value;
    }
}
