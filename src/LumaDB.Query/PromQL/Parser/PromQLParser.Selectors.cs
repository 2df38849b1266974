using System.Globalization;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>Vector selectors, label matchers and the postfix modifiers: ranges, subqueries, offset, @.</summary>
public sealed partial class PromQLParser
{
    private const string TargetMessage = "must be preceded by an instant vector selector or range vector selector or a subquery";

    // Go's time.Duration holds at most 2^63 ns.
    private const double MaxDurationSeconds = 9223372036.854775807;

    private VectorSelector ParseSelector(Token? nameToken)
    {
        var start = nameToken?.Position ?? Current.Position;
        var end = nameToken?.Range.End ?? start;
        var matchers = new List<LabelMatcher>();
        if (Current.Kind == TokenKind.LeftBrace)
        {
            end = ParseLabelMatchers(matchers);
        }

        string? name = null;
        if (nameToken is { } n)
        {
            // The name outside the braces becomes a trailing __name__ matcher, as in Prometheus.
            name = n.Text;
            matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, LabelMatcher.MetricNameLabel, name));
        }

        return new VectorSelector(name, matchers, new PositionRange(start, end));
    }

    private int ParseLabelMatchers(List<LabelMatcher> matchers)
    {
        Advance();
        if (Current.Kind == TokenKind.RightBrace)
        {
            return Advance().Range.End;
        }

        while (true)
        {
            ParseLabelMatcher(matchers);
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                if (Current.Kind == TokenKind.RightBrace)
                {
                    return Advance().Range.End;
                }

                continue;
            }

            if (Current.Kind == TokenKind.RightBrace)
            {
                return Advance().Range.End;
            }

            Unexpected("label matching", "\",\" or \"}\"");
        }
    }

    private void ParseLabelMatcher(List<LabelMatcher> matchers)
    {
        var nameToken = Current;
        string name;
        if (nameToken.Kind == TokenKind.Identifier)
        {
            Advance();
            name = nameToken.Text;
            if (!IsMatchOperator(Current.Kind))
            {
                Unexpected("label matching", "label matching operator");
            }
        }
        else if (nameToken.Kind == TokenKind.String)
        {
            Advance();
            name = UnquoteToken(nameToken);
            if (!IsMatchOperator(Current.Kind))
            {
                // A lone quoted string is the metric name: {"my.metric"}.
                matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, LabelMatcher.MetricNameLabel, name));
                return;
            }
        }
        else
        {
            Unexpected("label matching", "identifier or \"}\"");
            return;
        }

        var type = Advance().Kind switch
        {
            TokenKind.Assign => LabelMatchType.Equal,
            TokenKind.Neq => LabelMatchType.NotEqual,
            TokenKind.EqlRegex => LabelMatchType.Regex,
            _ => LabelMatchType.NotRegex,
        };
        if (Current.Kind != TokenKind.String)
        {
            Unexpected("label matching", "string");
        }

        var valueToken = Advance();
        var value = UnquoteToken(valueToken);
        try
        {
            matchers.Add(LabelMatcher.Create(type, name, value));
        }
        catch (ArgumentException e)
        {
            AddError(PositionRange.Merge(nameToken.Range, valueToken.Range), e.Message);
        }
    }

    private static bool IsMatchOperator(TokenKind kind) =>
        kind is TokenKind.Assign or TokenKind.Neq or TokenKind.EqlRegex or TokenKind.NeqRegex;

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.LeftBracket:
                    expr = ParseRangeOrSubquery(expr);
                    break;
                case TokenKind.Offset:
                    ParseOffset(expr);
                    break;
                case TokenKind.At:
                    ParseAt(expr);
                    break;
                case TokenKind.Anchored or TokenKind.Smoothed:
                    SetRangeModifier(expr, Advance());
                    break;
                default:
                    return expr;
            }
        }
    }

    private Expr ParseRangeOrSubquery(Expr expr)
    {
        var open = Advance();
        if (!CanStartDuration())
        {
            Unexpected("subquery or range selector", "number, duration, step(), or range()");
        }

        var range = ParsePositiveDuration("subquery or range selector");
        if (Current.Kind == TokenKind.RightBracket)
        {
            var close = Advance();
            string? error = expr switch
            {
                not VectorSelector => "ranges only allowed for vector selectors",
                VectorSelector { Offset.Ticks: not 0 } or VectorSelector { OffsetExpr: not null } => "no offset modifiers allowed before range",
                VectorSelector { Timestamp: not null } or VectorSelector { At: not AtBound.None } => "no @ modifiers allowed before range",
                _ => null,
            };
            if (error is not null)
            {
                AddError(PositionRange.Merge(open.Range, close.Range), error);
                return expr;
            }

            return new MatrixSelector((VectorSelector)expr, DurationValue(range), range as DurationExpr, close.Range.End);
        }

        if (Current.Kind != TokenKind.Colon)
        {
            Unexpected("subquery or range", "\":\" or \"]\"");
        }

        Advance();
        Expr? step = null;
        if (Current.Kind != TokenKind.RightBracket)
        {
            if (!CanStartDuration())
            {
                Unexpected("subquery selector", "number, duration, step(), range(), or \"]\"");
            }

            step = ParsePositiveDuration("subquery selector");
            if (Current.Kind != TokenKind.RightBracket)
            {
                Unexpected("subquery selector", "\"]\"");
            }
        }

        var end = Advance().Range.End;
        return new SubqueryExpr(
            expr,
            DurationValue(range),
            range as DurationExpr,
            step is null ? TimeSpan.Zero : DurationValue(step),
            step as DurationExpr,
            end);
    }

    private static TimeSpan DurationValue(Expr e) => e is NumberLiteral n ? PromDuration.FromSeconds(n.Value) : TimeSpan.Zero;

    private Expr ParsePositiveDuration(string context)
    {
        var e = ParseDurationExpr(0, context);
        CheckDurationExpressionEnabled(e);
        if (e is NumberLiteral { Value: <= 0 } n)
        {
            AddError(n.Range, "duration must be greater than 0");
        }

        return e;
    }

    private void ParseOffset(Expr expr)
    {
        Advance();
        const string expected = "number, duration, step(), or range()";
        Token? sign = Current.Kind is TokenKind.Add or TokenKind.Sub ? Advance() : null;
        if (!CanStartDurationPrimary())
        {
            Unexpected("offset", expected);
        }

        // Only one term is taken: "x offset 1m + 1m" is "(x offset 1m) + 1m", as in Prometheus.
        var value = ParseDurationPrimary("offset");
        if (sign is { } s)
        {
            value = ApplySign(s, value);
        }

        CheckDurationExpressionEnabled(value);

        switch (expr)
        {
            case VectorSelector vs:
                CheckOffsetUnset(expr, vs.Offset, vs.OffsetExpr);
                vs.Offset = DurationValue(value);
                vs.OffsetExpr = value as DurationExpr;
                break;
            case MatrixSelector ms:
                CheckOffsetUnset(expr, ms.Selector.Offset, ms.Selector.OffsetExpr);
                ms.Selector.Offset = DurationValue(value);
                ms.Selector.OffsetExpr = value as DurationExpr;
                break;
            case SubqueryExpr sq:
                CheckOffsetUnset(expr, sq.Offset, sq.OffsetExpr);
                sq.Offset = DurationValue(value);
                sq.OffsetExpr = value as DurationExpr;
                break;
            default:
                AddError(expr.Range, "offset modifier " + TargetMessage);
                return;
        }

        expr.Range = new PositionRange(expr.Range.Start, value.Range.End);
    }

    private void CheckDurationExpressionEnabled(Expr e)
    {
        if (e is DurationExpr && !_options.EnableDurationExpressions)
        {
            AddError(e.Range, "experimental duration expression is not enabled");
        }
    }

    private void CheckOffsetUnset(Expr expr, TimeSpan offset, DurationExpr? offsetExpr)
    {
        if (offset != TimeSpan.Zero || offsetExpr is not null)
        {
            AddError(expr.Range, "offset may not be set multiple times");
        }
    }

    private void ParseAt(Expr expr)
    {
        Advance();
        long? timestamp = null;
        var bound = AtBound.None;
        int end;
        if (Current.Kind is TokenKind.Start or TokenKind.End && PeekAt(1).Kind == TokenKind.LeftParen && PeekAt(2).Kind == TokenKind.RightParen)
        {
            bound = Advance().Kind == TokenKind.Start ? AtBound.Start : AtBound.End;
            Advance();
            end = Advance().Range.End;
        }
        else
        {
            Token? sign = Current.Kind is TokenKind.Add or TokenKind.Sub ? Advance() : null;
            if (Current.Kind is not (TokenKind.Number or TokenKind.Duration))
            {
                Unexpected("@", "timestamp");
            }

            var number = NumberFromToken(Advance());
            end = number.Range.End;
            var seconds = sign?.Kind == TokenKind.Sub ? -number.Value : number.Value;
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds >= long.MaxValue / 1000.0 || seconds <= long.MinValue / 1000.0)
            {
                AddError(expr.Range, "timestamp out of bounds for @ modifier: " + FormatGoFloat(seconds));
                return;
            }

            timestamp = (long)Math.Round(seconds * 1000.0, MidpointRounding.AwayFromZero);
        }

        var (currentTs, currentBound) = expr switch
        {
            VectorSelector vs => (vs.Timestamp, vs.At),
            MatrixSelector ms => (ms.Selector.Timestamp, ms.Selector.At),
            SubqueryExpr sq => (sq.Timestamp, sq.At),
            _ => (null, AtBound.None),
        };
        if (expr is not (VectorSelector or MatrixSelector or SubqueryExpr))
        {
            AddError(expr.Range, "@ modifier " + TargetMessage);
            return;
        }

        if (currentTs is not null || currentBound != AtBound.None)
        {
            AddError(expr.Range, "@ <timestamp> may not be set multiple times");
            return;
        }

        switch (expr)
        {
            case VectorSelector vs:
                vs.Timestamp = timestamp;
                vs.At = bound;
                break;
            case MatrixSelector ms:
                ms.Selector.Timestamp = timestamp;
                ms.Selector.At = bound;
                break;
            case SubqueryExpr sq:
                sq.Timestamp = timestamp;
                sq.At = bound;
                break;
        }

        expr.Range = new PositionRange(expr.Range.Start, end);
    }

    private static string FormatGoFloat(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : v.ToString("F6", CultureInfo.InvariantCulture);

    // anchored / smoothed: extended range selectors (Prometheus feature flag promql-extended-range-selectors).
    private void SetRangeModifier(Expr expr, Token modifier)
    {
        var selector = expr switch
        {
            MatrixSelector ms => ms.Selector,
            VectorSelector vs => vs,
            _ => null,
        };
        if (selector is null)
        {
            AddError(expr.Range, modifier.Text.ToLowerInvariant() + " modifier can only be used on vector or range vector selectors");
            return;
        }

        if (!_options.EnableExtendedRangeSelectors)
        {
            AddError(modifier.Range, modifier.Text.ToLowerInvariant() + " modifier is experimental and must be enabled with --enable-feature=promql-extended-range-selectors");
        }

        if (modifier.Kind == TokenKind.Anchored)
        {
            selector.Anchored = true;
        }
        else
        {
            selector.Smoothed = true;
        }

        expr.Range = new PositionRange(expr.Range.Start, modifier.Range.End);
    }
}
