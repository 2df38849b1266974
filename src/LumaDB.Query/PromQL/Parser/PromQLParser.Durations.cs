using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>
/// Duration expressions in ranges, subquery steps and offsets: <c>+ - * / % ^</c>, unary signs, parentheses,
/// <c>step()</c>, <c>range()</c>, <c>min_of(a, b)</c>, <c>max_of(a, b)</c>. Feature-flagged in Prometheus
/// (<c>promql-duration-expr</c>); plain literals need no flag.
/// </summary>
public sealed partial class PromQLParser
{
    private bool CanStartDuration() => Current.Kind is TokenKind.Add or TokenKind.Sub || CanStartDurationPrimary();

    // step and range are taken as soon as the keyword is seen; a missing "()" is reported at what follows.
    private bool CanStartDurationPrimary() =>
        Current.Kind is TokenKind.Number or TokenKind.Duration or TokenKind.LeftParen or TokenKind.Step or TokenKind.Range
        || IsMinMaxOf();

    private bool IsMinMaxOf() =>
        Current.Kind == TokenKind.Identifier && PeekAt(1).Kind == TokenKind.LeftParen
        && Current.Text.ToLowerInvariant() is "min_of" or "max_of";

    private Expr ParseDurationExpr(int minPrecedence, string context)
    {
        var left = ParseDurationUnary(context);
        while (true)
        {
            var (op, precedence) = Current.Kind switch
            {
                TokenKind.Add => (DurationOperator.Add, 4),
                TokenKind.Sub => (DurationOperator.Sub, 4),
                TokenKind.Mul => (DurationOperator.Mul, 5),
                TokenKind.Div => (DurationOperator.Div, 5),
                TokenKind.Mod => (DurationOperator.Mod, 5),
                TokenKind.Pow => (DurationOperator.Pow, 6),
                _ => (DurationOperator.Step, 0),
            };
            if (precedence == 0 || precedence < minPrecedence)
            {
                return left;
            }

            var opToken = Advance();
            var right = ParseDurationExpr(op == DurationOperator.Pow ? precedence : precedence + 1, context);
            if (op is DurationOperator.Div or DurationOperator.Mod && right is NumberLiteral { Value: 0 })
            {
                AddError(opToken.Range, op == DurationOperator.Div ? "division by zero" : "modulo by zero");
                left = new NumberLiteral(0, PositionRange.Merge(left.Range, right.Range));
                continue;
            }

            left = new DurationExpr(op, left, right, PositionRange.Merge(left.Range, right.Range));
        }
    }

    private Expr ParseDurationUnary(string context)
    {
        GuardStack();
        if (Current.Kind is TokenKind.Add or TokenKind.Sub)
        {
            var sign = Advance();
            return ApplySign(sign, ParseDurationExpr(UnaryOperandPrecedence, context));
        }

        return ParseDurationPrimary(context);
    }

    private static Expr ApplySign(Token sign, Expr operand)
    {
        if (operand is NumberLiteral n)
        {
            var value = sign.Kind == TokenKind.Sub ? -n.Value : n.Value;
            return new NumberLiteral(value, new PositionRange(sign.Position, n.Range.End), n.IsDuration);
        }

        return sign.Kind == TokenKind.Sub
            ? new DurationExpr(DurationOperator.Sub, null, operand, new PositionRange(sign.Position, operand.Range.End))
            : operand;
    }

    private Expr ParseDurationPrimary(string context)
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Number or TokenKind.Duration:
                {
                    Advance();
                    var literal = NumberFromToken(t);
                    if (Math.Abs(literal.Value) > MaxDurationSeconds)
                    {
                        AddError(literal.Range, "duration out of range");
                    }

                    return literal;
                }

            case TokenKind.Step or TokenKind.Range:
                {
                    Advance();
                    if (Current.Kind != TokenKind.LeftParen)
                    {
                        UnexpectedInDuration(context);
                    }

                    Advance();
                    var close = ExpectInDuration(TokenKind.RightParen, context);
                    var op = t.Kind == TokenKind.Step ? DurationOperator.Step : DurationOperator.Range;
                    return new DurationExpr(op, null, null, new PositionRange(t.Position, close.Range.End));
                }

            case TokenKind.LeftParen:
                {
                    Advance();
                    var inner = ParseDurationExpr(0, context);
                    ExpectInDuration(TokenKind.RightParen, context);
                    if (inner is DurationExpr d)
                    {
                        d.Wrapped = true;
                    }

                    return inner;
                }

            default:
                if (IsMinMaxOf())
                {
                    var op = string.Equals(t.Text, "min_of", StringComparison.OrdinalIgnoreCase) ? DurationOperator.MinOf : DurationOperator.MaxOf;
                    Advance();
                    Advance();
                    var a = ParseDurationExpr(0, context);
                    ExpectInDuration(TokenKind.Comma, context);
                    var b = ParseDurationExpr(0, context);
                    var close = ExpectInDuration(TokenKind.RightParen, context);
                    return new DurationExpr(op, a, b, new PositionRange(t.Position, close.Range.End));
                }

                UnexpectedInDuration(context);
                return null!;
        }
    }

    private void UnexpectedInDuration(string context) =>
        Unexpected(context, context == "subquery selector"
            ? "number, duration, step(), range(), or \"]\""
            : "number, duration, step(), or range()");

    private Token ExpectInDuration(TokenKind kind, string context)
    {
        if (Current.Kind != kind)
        {
            Unexpected(context, kind switch
            {
                TokenKind.Comma => "\",\"",
                _ => "\")\"",
            });
        }

        return Advance();
    }
}
