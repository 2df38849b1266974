using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>Operators, unary expressions, primaries, calls and aggregations.</summary>
public sealed partial class PromQLParser
{
    // Unary minus and plus bind like '*' (Prometheus's %prec MUL), so their operand takes only '^' and postfix modifiers.
    private const int UnaryOperandPrecedence = 6;

    private Expr ParseExpr(int minPrecedence)
    {
        var left = ParseUnary();
        while (TryBinaryOperator(Current.Kind, out var op) && op.Precedence() >= minPrecedence)
        {
            Advance();
            var (returnBool, matching) = ParseBinaryModifiers();
            var right = ParseExpr(op.IsRightAssociative() ? op.Precedence() : op.Precedence() + 1);
            left = new BinaryExpr(op, left, right, returnBool, matching);
        }

        return left;
    }

    private static bool TryBinaryOperator(TokenKind kind, out BinaryOperator op)
    {
        op = kind switch
        {
            TokenKind.Add => BinaryOperator.Add,
            TokenKind.Sub => BinaryOperator.Sub,
            TokenKind.Mul => BinaryOperator.Mul,
            TokenKind.Div => BinaryOperator.Div,
            TokenKind.Mod => BinaryOperator.Mod,
            TokenKind.Pow => BinaryOperator.Pow,
            TokenKind.Atan2 => BinaryOperator.Atan2,
            TokenKind.EqlC => BinaryOperator.Eql,
            TokenKind.Neq => BinaryOperator.Neq,
            TokenKind.Gtr => BinaryOperator.Gtr,
            TokenKind.Lss => BinaryOperator.Lss,
            TokenKind.Gte => BinaryOperator.Gte,
            TokenKind.Lte => BinaryOperator.Lte,
            TokenKind.And => BinaryOperator.And,
            TokenKind.Or => BinaryOperator.Or,
            TokenKind.Unless => BinaryOperator.Unless,
            TokenKind.TrimUpper => BinaryOperator.TrimUpper,
            TokenKind.TrimLower => BinaryOperator.TrimLower,
            _ => (BinaryOperator)(-1),
        };
        return (int)op >= 0;
    }

    private (bool ReturnBool, VectorMatching Matching) ParseBinaryModifiers()
    {
        var returnBool = false;
        if (Current.Kind == TokenKind.Bool)
        {
            Advance();
            returnBool = true;
        }

        var matching = new VectorMatching { Cardinality = MatchCardinality.OneToOne };
        if (Current.Kind is TokenKind.On or TokenKind.Ignoring)
        {
            matching.On = Advance().Kind == TokenKind.On;
            matching.MatchingLabels = ParseGroupingLabels();
            if (Current.Kind is TokenKind.GroupLeft or TokenKind.GroupRight)
            {
                matching.Cardinality = Advance().Kind == TokenKind.GroupLeft ? MatchCardinality.ManyToOne : MatchCardinality.OneToMany;
                if (Current.Kind == TokenKind.LeftParen)
                {
                    matching.Include = ParseGroupingLabels();
                }
            }
        }

        ParseFillModifiers(matching);
        return (returnBool, matching);
    }

    // fill(v), fill_left(v), fill_right(v): Prometheus's binary fill modifiers (feature-flagged there).
    private void ParseFillModifiers(VectorMatching matching)
    {
        while (Current.Kind == TokenKind.Identifier && PeekAt(1).Kind == TokenKind.LeftParen)
        {
            var word = Current.Text.ToLowerInvariant();
            if (word is not ("fill" or "fill_left" or "fill_right"))
            {
                return;
            }

            if (!_options.EnableFillModifiers)
            {
                AddError(Current.Range, "fill modifiers are experimental and must be enabled with --enable-feature=promql-binop-fill-modifiers");
            }

            Advance();
            Advance();
            var negate = false;
            if (Current.Kind is TokenKind.Add or TokenKind.Sub)
            {
                negate = Advance().Kind == TokenKind.Sub;
            }

            if (Current.Kind is not (TokenKind.Number or TokenKind.Duration))
            {
                Unexpected("fill modifier", "number");
            }

            var value = NumberFromToken(Advance()).Value;
            if (negate)
            {
                value = -value;
            }

            if (Current.Kind != TokenKind.RightParen)
            {
                Unexpected("fill modifier", "\")\"");
            }

            Advance();
            if (word is "fill" or "fill_left")
            {
                matching.FillLeft = value;
            }

            if (word is "fill" or "fill_right")
            {
                matching.FillRight = value;
            }
        }
    }

    private Expr ParseUnary()
    {
        GuardStack();
        if (Current.Kind is TokenKind.Add or TokenKind.Sub)
        {
            var sign = Advance();
            var operand = ParseExpr(UnaryOperandPrecedence);
            if (operand is NumberLiteral number)
            {
                // Prometheus folds a sign into the literal it precedes.
                if (sign.Kind == TokenKind.Sub)
                {
                    number.Value = -number.Value;
                }

                number.Range = new PositionRange(sign.Position, number.Range.End);
                return number;
            }

            return new UnaryExpr(sign.Kind == TokenKind.Sub, operand, sign.Position);
        }

        return ParsePostfix(ParsePrimary());
    }

    private Expr ParsePrimary()
    {
        var t = Current;
        var next = PeekAt(1).Kind;
        switch (t.Kind)
        {
            case TokenKind.Number or TokenKind.Duration:
                Advance();
                return NumberFromToken(t);
            case TokenKind.String:
                Advance();
                {
                    if (!GoText.TryUnquote(t.Text, out var value, out _, out var invalidUtf8))
                    {
                        AddError(t.Range, "invalid syntax");
                    }

                    return invalidUtf8 is null ? new StringLiteral(value, t.Range) : new StringLiteral(value, t.Range, invalidUtf8);
                }
            case TokenKind.LeftParen:
                {
                    Advance();
                    var inner = ParseExpr(0);
                    var close = Expect(TokenKind.RightParen);
                    return new ParenExpr(inner, new PositionRange(t.Position, close.Range.End));
                }

            case TokenKind.LeftBrace:
                return ParseSelector(null);
            case TokenKind.Identifier:
                return next == TokenKind.LeftParen ? ParseCall() : ParseSelector(Advance());
            case TokenKind.MetricIdentifier:
                return ParseSelector(Advance());
            case TokenKind.Aggregator:
                return next is TokenKind.LeftParen or TokenKind.By or TokenKind.Without ? ParseAggregation() : ParseSelector(Advance());
            case TokenKind.Start or TokenKind.End or TokenKind.Step or TokenKind.Range when next == TokenKind.LeftParen:
                return ParseCall();
            case TokenKind.By or TokenKind.Without or TokenKind.Offset or TokenKind.And or TokenKind.Or or TokenKind.Unless
                or TokenKind.Start or TokenKind.End or TokenKind.Step or TokenKind.Range or TokenKind.Anchored or TokenKind.Smoothed:
                // These keywords double as metric names where an expression is expected.
                return ParseSelector(Advance());
            default:
                UnexpectedGeneric();
                return null!;
        }
    }

    private Call ParseCall()
    {
        var nameToken = Advance();
        // Keyword-named functions (start, step, ...) are case-insensitive like all keywords; others are not.
        var name = nameToken.Kind == TokenKind.Identifier ? nameToken.Text : nameToken.Text.ToLowerInvariant();
        if (!PromQLFunctions.TryGet(name, out var function))
        {
            AddError(nameToken.Range, "unknown function with name " + GoText.Quote(name));
            function = new FunctionInfo(name, [], -1, PromQLValueType.None);
        }
        else if (function.Experimental && !_options.EnableExperimentalFunctions)
        {
            AddError(nameToken.Range, $"function {GoText.Quote(name)} is not enabled");
        }

        var (args, end) = ParseCallBody();
        return new Call(function, args, new PositionRange(nameToken.Position, end));
    }

    private (List<Expr> Args, int End) ParseCallBody()
    {
        if (Current.Kind != TokenKind.LeftParen)
        {
            UnexpectedGeneric();
        }

        Advance();
        var args = new List<Expr>();
        if (Current.Kind == TokenKind.RightParen)
        {
            return (args, Advance().Range.End);
        }

        while (true)
        {
            args.Add(ParseExpr(0));
            if (Current.Kind == TokenKind.Comma)
            {
                var comma = Advance();
                if (Current.Kind == TokenKind.RightParen)
                {
                    AddError(comma.Range, "trailing commas not allowed in function call args");
                    return (args, Advance().Range.End);
                }

                continue;
            }

            if (Current.Kind == TokenKind.RightParen)
            {
                return (args, Advance().Range.End);
            }

            UnexpectedGeneric();
        }
    }

    private AggregateExpr ParseAggregation()
    {
        var opToken = Advance();
        if (!AggregationOperatorFacts.TryParse(opToken.Text, out var op))
        {
            UnexpectedGeneric();
        }

        IReadOnlyList<string> grouping = [];
        var without = false;
        var modifierFirst = Current.Kind is TokenKind.By or TokenKind.Without;
        if (modifierFirst)
        {
            without = Advance().Kind == TokenKind.Without;
            grouping = ParseGroupingLabels();
        }

        if (Current.Kind != TokenKind.LeftParen)
        {
            Unexpected("aggregation", null);
        }

        _aggregationDepth++;
        var (args, end) = ParseCallBody();
        _aggregationDepth--;
        if (!modifierFirst && Current.Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            grouping = ParseGroupingLabels();
            end = _tokens[_index - 1].Range.End;
        }

        var range = new PositionRange(opToken.Position, end);
        if (op.IsExperimental() && !_options.EnableExperimentalFunctions)
        {
            AddError(range, "limitk() and limit_ratio() are experimental and must be enabled with --enable-feature=promql-experimental-functions");
        }

        var desired = op.HasParameter() ? 2 : 1;
        if (args.Count != desired)
        {
            AddError(range, $"wrong number of arguments for aggregate expression provided, expected {desired}, got {args.Count}");
            return new AggregateExpr(op, null, args.Count > 0 ? args[^1] : new NumberLiteral(0, range), grouping, without, range);
        }

        return new AggregateExpr(op, desired == 2 ? args[0] : null, args[^1], grouping, without, range);
    }

    private List<string> ParseGroupingLabels()
    {
        if (Current.Kind != TokenKind.LeftParen)
        {
            Unexpected("grouping opts", "\"(\"");
        }

        Advance();
        var labels = new List<string>();
        if (Current.Kind == TokenKind.RightParen)
        {
            Advance();
            return labels;
        }

        while (true)
        {
            var t = Current;
            if (t.Kind == TokenKind.String)
            {
                Advance();
                var name = UnquoteToken(t);
                if (name.Length == 0)
                {
                    AddError(t.Range, "invalid label name for grouping: \"\"");
                }

                labels.Add(name);
            }
            else if (IsLabelLike(t.Kind))
            {
                Advance();
                labels.Add(t.Text);
            }
            else
            {
                Unexpected("grouping opts", "label");
            }

            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                if (Current.Kind == TokenKind.RightParen)
                {
                    Advance();
                    return labels;
                }

                continue;
            }

            if (Current.Kind == TokenKind.RightParen)
            {
                Advance();
                return labels;
            }

            Unexpected("grouping opts", "\",\" or \")\"");
        }
    }

    private static bool IsLabelLike(TokenKind kind) =>
        kind is TokenKind.Identifier or TokenKind.MetricIdentifier or TokenKind.Aggregator
            or TokenKind.And or TokenKind.Or or TokenKind.Unless or TokenKind.Atan2
            or (>= TokenKind.By and <= TokenKind.Smoothed);
}
