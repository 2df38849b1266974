using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Expressions by precedence climbing over PostgreSQL's precedence table.</summary>
public sealed partial class SqlParser
{
    private Expression ParseExpr() => ParseExpr(SqlPrecedence.Or);

    private Expression ParseExpr(int minPrecedence)
    {
        Enter();
        try
        {
            var start = StartOf;
            var left = ParsePrefix(start);
            while (TryParseInfix(ref left, minPrecedence, start))
            {
            }

            return left;
        }
        finally
        {
            Leave();
        }
    }

    private Expression ParsePrefix(int start)
    {
        var token = Current;
        if (token.IsKeyword("not"))
        {
            Advance();
            var operand = ParseExpr(SqlPrecedence.Not);
            return new UnaryExpression(UnaryOperator.Not, operand) { Span = SpanFrom(start) };
        }

        if (token.Kind == SqlTokenKind.Operator)
        {
            Advance();
            switch (token.Text)
            {
                case "-":
                    return Negate(ParseExpr(SqlPrecedence.Unary), start);
                case "+":
                    return new UnaryExpression(UnaryOperator.Plus, ParseExpr(SqlPrecedence.Unary)) { Span = SpanFrom(start) };
                case "~":
                    return new UnaryExpression(UnaryOperator.BitwiseNot, ParseExpr(SqlPrecedence.OtherOperator + 1)) { Span = SpanFrom(start) };
                default:
                    if (token.Text is "=" or "<" or ">" or "<=" or ">=" or "<>" or "*" or "/" or "%" or "^")
                    {
                        _pos--;
                        Note("expression");
                        throw SyntaxError();
                    }

                    var right = ParseExpr(SqlPrecedence.OtherOperator + 1);
                    return new CustomOperatorExpression(token.Text, null, right) { Span = SpanFrom(start), OperatorSpan = new SourceSpan(token.Start, token.Length) };
            }
        }

        var primary = ParsePrimary(out var parenthesized);
        return ParsePostfix(primary, parenthesized, start);
    }

    /// <summary>Folds a minus sign into a numeric constant, as PostgreSQL does, so <c>-1</c> is a literal.</summary>
    private Expression Negate(Expression operand, int start)
    {
        var span = SpanFrom(start);
        switch (operand)
        {
            case IntegerLiteral integer:
                return new IntegerLiteral(-integer.Value) { Span = span };
            case NumericLiteral numeric:
                var text = numeric.Text.StartsWith('-') ? numeric.Text[1..] : "-" + numeric.Text;
                return SqlLexer.TryParseInteger(text, out var value) || (text.StartsWith('-') && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value))
                    ? new IntegerLiteral(value) { Span = span }
                    : new NumericLiteral(text) { Span = span };
            default:
                return new UnaryExpression(UnaryOperator.Negate, operand) { Span = span };
        }
    }

    private Expression ParsePostfix(Expression left, bool parenthesized, int start)
    {
        while (true)
        {
            if (Current.Kind == SqlTokenKind.DoubleColon)
            {
                Advance();
                var type = ParseType();
                left = new CastExpression(left, type, IsOperatorSyntax: true) { Span = SpanFrom(start) };
            }
            else if (Current.Kind == SqlTokenKind.LeftBracket)
            {
                Advance();
                Expression? lower = null;
                Expression? upper = null;
                var slice = false;
                if (Current.Kind != SqlTokenKind.Colon)
                {
                    lower = ParseExpr();
                }

                if (Accept(SqlTokenKind.Colon))
                {
                    slice = true;
                    if (Current.Kind != SqlTokenKind.RightBracket)
                    {
                        upper = ParseExpr();
                    }
                }

                Expect(SqlTokenKind.RightBracket);
                left = new SubscriptExpression(left, lower, upper, slice) { Span = SpanFrom(start) };
            }
            else if (Current.Kind == SqlTokenKind.Dot && (parenthesized || left is not ColumnReference))
            {
                Advance();
                string? field = null;
                if (!AcceptOperator("*"))
                {
                    field = ParseLabel();
                }

                left = new FieldSelectionExpression(left, field) { Span = SpanFrom(start) };
            }
            else
            {
                return left;
            }

            parenthesized = false;
        }
    }

    private bool TryParseInfix(ref Expression left, int minPrecedence, int start)
    {
        var token = Current;
        if (token.Kind == SqlTokenKind.Operator)
        {
            var precedence = SqlPrecedence.OfOperator(token.Text);
            if (precedence < minPrecedence)
            {
                return false;
            }

            Advance();
            if ((Current.IsKeyword("any") || Current.IsKeyword("some") || Current.IsKeyword("all")) && PeekToken(1).Kind == SqlTokenKind.LeftParen)
            {
                left = ParseQuantified(left, token, start);
                return true;
            }

            var right = ParseExpr(precedence + 1);
            left = SqlOperators.TryGetBinary(token.Text, out var op)
                ? new BinaryExpression(op, left, right) { Span = SpanFrom(start), OperatorSpan = new SourceSpan(token.Start, token.Length) }
                : new CustomOperatorExpression(token.Text, left, right) { Span = SpanFrom(start), OperatorSpan = new SourceSpan(token.Start, token.Length) };
            return true;
        }

        if (token.Kind != SqlTokenKind.Identifier)
        {
            return false;
        }

        switch (token.Text)
        {
            case "or":
            case "and":
                {
                    var isOr = token.Text == "or";
                    var precedence = isOr ? SqlPrecedence.Or : SqlPrecedence.And;
                    if (precedence < minPrecedence)
                    {
                        return false;
                    }

                    Advance();
                    var right = ParseExpr(precedence + 1);
                    left = new BinaryExpression(isOr ? BinaryOperator.Or : BinaryOperator.And, left, right) { Span = SpanFrom(start) };
                    return true;
                }

            case "is":
                if (SqlPrecedence.Is < minPrecedence)
                {
                    return false;
                }

                Advance();
                left = ParseIsTail(left, start);
                return true;
            case "isnull":
            case "notnull":
                if (SqlPrecedence.Is < minPrecedence)
                {
                    return false;
                }

                Advance();
                left = new IsExpression(left, IsTest.Null, token.Text == "notnull") { Span = SpanFrom(start) };
                return true;
            case "not":
                if (SqlPrecedence.Like < minPrecedence || !IsPredicateKeyword(PeekToken(1)))
                {
                    return false;
                }

                Advance();
                left = ParsePredicateTail(left, negated: true, start);
                return true;
            case "similar" when !PeekKeyword(1, "to"):
                // substring(x SIMILAR p ESCAPE e) is not a SIMILAR TO predicate.
                return false;
            case "in":
            case "like":
            case "ilike":
            case "between":
            case "similar":
                if (SqlPrecedence.Like < minPrecedence)
                {
                    return false;
                }

                left = ParsePredicateTail(left, negated: false, start);
                return true;
            case "at":
                if (SqlPrecedence.AtTimeZone < minPrecedence || !(PeekKeyword(1, "time") || PeekKeyword(1, "local")))
                {
                    return false;
                }

                Advance();
                if (AcceptKeyword("local"))
                {
                    left = new AtTimeZoneExpression(left, null) { Span = SpanFrom(start) };
                    return true;
                }

                ExpectKeyword("time");
                ExpectKeyword("zone");
                left = new AtTimeZoneExpression(left, ParseExpr(SqlPrecedence.AtTimeZone + 1)) { Span = SpanFrom(start) };
                return true;
            case "operator" when PeekToken(1).Kind == SqlTokenKind.LeftParen:
                {
                    // OPERATOR(schema.op), as psql writes it; the schema is dropped and the operator kept.
                    if (SqlPrecedence.OtherOperator < minPrecedence)
                    {
                        return false;
                    }

                    Advance();
                    Advance();
                    while (Current.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier && PeekToken(1).Kind == SqlTokenKind.Dot)
                    {
                        Advance();
                        Advance();
                    }

                    var symbol = Expect(SqlTokenKind.Operator).Text;
                    Expect(SqlTokenKind.RightParen);
                    var right = ParseExpr(SqlPrecedence.OtherOperator + 1);
                    left = SqlOperators.TryGetBinary(symbol, out var op)
                        ? new BinaryExpression(op, left, right) { Span = SpanFrom(start) }
                        : new CustomOperatorExpression(symbol, left, right) { Span = SpanFrom(start) };
                    return true;
                }

            case "collate":
                if (SqlPrecedence.Collate < minPrecedence)
                {
                    return false;
                }

                Advance();
                left = new CollateExpression(left, ParseQualifiedName()) { Span = SpanFrom(start) };
                return true;
            default:
                return false;
        }
    }

    private static bool IsPredicateKeyword(SqlToken token) =>
        token.IsKeyword("in") || token.IsKeyword("like") || token.IsKeyword("ilike") || token.IsKeyword("between") || token.IsKeyword("similar");

    private Expression ParseIsTail(Expression left, int start)
    {
        var negated = AcceptKeyword("not");
        IsTest test;
        if (AcceptKeyword("null"))
        {
            test = IsTest.Null;
        }
        else if (AcceptKeyword("true"))
        {
            test = IsTest.True;
        }
        else if (AcceptKeyword("false"))
        {
            test = IsTest.False;
        }
        else if (AcceptKeyword("unknown"))
        {
            test = IsTest.Unknown;
        }
        else if (AcceptKeyword("distinct"))
        {
            ExpectKeyword("from");
            var right = ParseExpr(SqlPrecedence.Is + 1);
            return new IsDistinctFromExpression(left, right, negated) { Span = SpanFrom(start) };
        }
        else
        {
            throw SyntaxError();
        }

        return new IsExpression(left, test, negated) { Span = SpanFrom(start) };
    }

    private Expression ParsePredicateTail(Expression left, bool negated, int start)
    {
        var keyword = Advance().Text;
        switch (keyword)
        {
            case "between":
                {
                    var symmetric = AcceptKeyword("symmetric");
                    if (!symmetric)
                    {
                        AcceptKeyword("asymmetric");
                    }

                    var low = ParseExpr(SqlPrecedence.Like + 1);
                    ExpectKeyword("and");
                    var high = ParseExpr(SqlPrecedence.Like + 1);
                    return new BetweenExpression(left, low, high, negated, symmetric) { Span = SpanFrom(start) };
                }

            case "in":
                {
                    Expect(SqlTokenKind.LeftParen);
                    if (IsQueryStart(Current))
                    {
                        var query = ParseQuery();
                        Expect(SqlTokenKind.RightParen);
                        return new InSubqueryExpression(left, query, negated) { Span = SpanFrom(start) };
                    }

                    var items = ParseCommaList(ParseExpr);
                    Expect(SqlTokenKind.RightParen);
                    return new InListExpression(left, items, negated) { Span = SpanFrom(start) };
                }

            default:
                {
                    var kind = keyword switch
                    {
                        "like" => LikeKind.Like,
                        "ilike" => LikeKind.ILike,
                        _ => LikeKind.SimilarTo,
                    };
                    if (kind == LikeKind.SimilarTo)
                    {
                        ExpectKeyword("to");
                    }

                    var pattern = ParseExpr(SqlPrecedence.Like + 1);
                    Expression? escape = null;
                    if (AcceptKeyword("escape"))
                    {
                        escape = ParseExpr(SqlPrecedence.Like + 1);
                    }

                    return new LikeExpression(left, pattern, escape, kind, negated) { Span = SpanFrom(start) };
                }
        }
    }

    private QuantifiedComparison ParseQuantified(Expression left, SqlToken opToken, int start)
    {
        if (!SqlOperators.TryGetBinary(opToken.Text, out var op))
        {
            throw SyntaxErrorAt(_pos - 1);
        }

        var quantifier = Advance().Text == "all" ? Quantifier.All : Quantifier.Any;
        var parenStart = StartOf;
        Expect(SqlTokenKind.LeftParen);
        Expression right;
        if (IsQueryStart(Current))
        {
            var query = ParseQuery();
            Expect(SqlTokenKind.RightParen);
            right = new SubqueryExpression(query) { Span = SpanFrom(parenStart) };
        }
        else
        {
            right = ParseExpr();
            Expect(SqlTokenKind.RightParen);
        }

        return new QuantifiedComparison(left, op, quantifier, right) { Span = SpanFrom(start) };
    }

    private static bool IsQueryStart(SqlToken token) =>
        token.IsKeyword("select") || token.IsKeyword("values") || token.IsKeyword("with") || token.IsKeyword("table");
}
