using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Primary expressions: constants, names, calls and the keyword-introduced forms.</summary>
public sealed partial class SqlParser
{
    private Expression ParsePrimary(out bool parenthesized)
    {
        parenthesized = false;
        var start = StartOf;
        var token = Current;
        switch (token.Kind)
        {
            case SqlTokenKind.Integer:
                Advance();
                return SqlLexer.TryParseInteger(token.Text, out var value)
                    ? new IntegerLiteral(value) { Span = SpanFrom(start) }
                    : new NumericLiteral(token.Text) { Span = SpanFrom(start) };
            case SqlTokenKind.Decimal:
                Advance();
                return new NumericLiteral(token.Text) { Span = SpanFrom(start) };
            case SqlTokenKind.String:
                Advance();
                return new StringLiteral(token.Text) { Span = SpanFrom(start) };
            case SqlTokenKind.BitString:
            case SqlTokenKind.HexString:
                Advance();
                return new BitStringLiteral(token.Text, token.Kind == SqlTokenKind.HexString) { Span = SpanFrom(start) };
            case SqlTokenKind.Parameter:
                Advance();
                if (!int.TryParse(token.Text, System.Globalization.CultureInfo.InvariantCulture, out var index) || index < 1)
                {
                    throw ErrorAt(token.Start, "there is no parameter $" + token.Text);
                }

                return new ParameterReference(index) { Span = SpanFrom(start) };
            case SqlTokenKind.LeftParen:
                return ParseParenthesized(out parenthesized);
            case SqlTokenKind.Identifier:
                return ParseKeywordOrName(token);
            case SqlTokenKind.QuotedIdentifier:
                return ParseNameExpression();
            default:
                Note("expression");
                throw SyntaxError();
        }
    }

    private Expression ParseParenthesized(out bool parenthesized)
    {
        var start = StartOf;
        Advance();
        parenthesized = true;
        if (IsQueryStart(Current))
        {
            var query = ParseQuery();
            Expect(SqlTokenKind.RightParen);
            parenthesized = false;
            return new SubqueryExpression(query) { Span = SpanFrom(start) };
        }

        var first = ParseExpr();
        if (Current.Kind == SqlTokenKind.Comma)
        {
            var fields = new List<Expression> { first };
            while (Accept(SqlTokenKind.Comma))
            {
                fields.Add(ParseExpr());
            }

            Expect(SqlTokenKind.RightParen);
            parenthesized = false;
            return new RowExpression(SyntaxList.From(fields), HasRowKeyword: false) { Span = SpanFrom(start) };
        }

        Expect(SqlTokenKind.RightParen);
        return first;
    }

    private Expression ParseKeywordOrName(SqlToken token)
    {
        var start = StartOf;
        var next = PeekToken(1);
        var callFollows = next.Kind == SqlTokenKind.LeftParen;
        switch (token.Text)
        {
            case "true":
            case "false":
                Advance();
                return new BooleanLiteral(token.Text == "true") { Span = SpanFrom(start) };
            case "null":
                Advance();
                return new NullLiteral { Span = SpanFrom(start) };
            case "default":
                Advance();
                return new DefaultExpression { Span = SpanFrom(start) };
            case "case":
                return ParseCase();
            case "cast":
                return ParseCast();
            case "exists" when callFollows:
                {
                    Advance();
                    Advance();
                    var query = ParseQuery();
                    Expect(SqlTokenKind.RightParen);
                    return new ExistsExpression(query) { Span = SpanFrom(start) };
                }

            case "array":
                return ParseArray();
            case "row" when callFollows:
                {
                    Advance();
                    Advance();
                    var fields = Current.Kind == SqlTokenKind.RightParen ? SyntaxList<Expression>.Empty : ParseCommaList(ParseExpr);
                    Expect(SqlTokenKind.RightParen);
                    return new RowExpression(fields, HasRowKeyword: true) { Span = SpanFrom(start) };
                }

            case "extract" when callFollows:
                return ParseExtract();
            case "substring" when callFollows:
            case "position" when callFollows:
            case "overlay" when callFollows:
            case "trim" when callFollows:
                return ParseSpecialCall(token.Text);
            case "coalesce" when callFollows:
            case "nullif" when callFollows:
            case "greatest" when callFollows:
            case "least" when callFollows:
            case "grouping" when callFollows:
                Advance();
                return ParseFunctionCall(QualifiedName.Of(token.Text), start);
            case "current_schema" when callFollows:
                return ParseNameExpression();
        }

        if (TryParseValueFunction(token.Text, start) is { } valueFunction)
        {
            return valueFunction;
        }

        if (TryParseTypedLiteral(start) is { } typed)
        {
            return typed;
        }

        if (SqlKeywords.IsReserved(token.Text) || (SqlKeywords.IsTypeOrFunctionName(token.Text) && !callFollows))
        {
            Note("expression");
            throw SyntaxError();
        }

        return ParseNameExpression();
    }

    private SqlValueFunction? TryParseValueFunction(string word, int start)
    {
        var kind = word switch
        {
            "current_date" => SqlValueFunctionKind.CurrentDate,
            "current_time" => SqlValueFunctionKind.CurrentTime,
            "current_timestamp" => SqlValueFunctionKind.CurrentTimestamp,
            "localtime" => SqlValueFunctionKind.LocalTime,
            "localtimestamp" => SqlValueFunctionKind.LocalTimestamp,
            "current_user" => SqlValueFunctionKind.CurrentUser,
            "current_role" => SqlValueFunctionKind.CurrentRole,
            "session_user" => SqlValueFunctionKind.SessionUser,
            "user" => SqlValueFunctionKind.User,
            "system_user" => SqlValueFunctionKind.SystemUser,
            "current_catalog" => SqlValueFunctionKind.CurrentCatalog,
            "current_schema" => SqlValueFunctionKind.CurrentSchema,
            _ => (SqlValueFunctionKind)(-1),
        };
        if (kind < 0)
        {
            return null;
        }

        Advance();
        int? precision = null;
        if (kind is SqlValueFunctionKind.CurrentTime or SqlValueFunctionKind.CurrentTimestamp or SqlValueFunctionKind.LocalTime or SqlValueFunctionKind.LocalTimestamp
            && Accept(SqlTokenKind.LeftParen))
        {
            precision = ParseIntegerValue();
            Expect(SqlTokenKind.RightParen);
        }

        return new SqlValueFunction(kind, precision) { Span = SpanFrom(start) };
    }

    /// <summary><c>DATE '2024-01-01'</c>, <c>INTERVAL '1' HOUR</c>, <c>numeric(5,2) '1.5'</c>; restores the position when it is not one.</summary>
    private TypedLiteral? TryParseTypedLiteral(int start)
    {
        var word = Current.Text;
        if (word == "interval")
        {
            var save = _pos;
            Advance();
            var modifiers = new List<int>();
            if (Accept(SqlTokenKind.LeftParen))
            {
                modifiers.Add(ParseIntegerValue());
                Expect(SqlTokenKind.RightParen);
            }

            if (Current.Kind != SqlTokenKind.String)
            {
                _pos = save;
                return null;
            }

            var value = Advance().Text;
            var fields = ParseIntervalFields(modifiers);
            var type = new TypeName(QualifiedName.Of("interval"), SyntaxList.From(modifiers), SyntaxList<int>.Empty, fields) { Span = SpanFrom(start) };
            return new TypedLiteral(type, value) { Span = SpanFrom(start) };
        }

        if (!IsTypeKeywordStart())
        {
            return null;
        }

        var restore = _pos;
        try
        {
            var type = ParseType();
            if (Current.Kind == SqlTokenKind.String && !type.IsArray)
            {
                var value = Advance().Text;
                return new TypedLiteral(type, value) { Span = SpanFrom(start) };
            }
        }
        catch (SqlSyntaxException)
        {
            // Not a type after all: fall back to reading a name.
        }

        _pos = restore;
        return null;
    }

    private bool IsTypeKeywordStart() => Current.Text switch
    {
        "bigint" or "bit" or "boolean" or "char" or "character" or "dec" or "decimal" or "float" or "int" or "integer"
            or "national" or "nchar" or "numeric" or "real" or "smallint" or "time" or "timestamp" or "varchar" => true,
        "double" => PeekKeyword(1, "precision"),
        _ => false,
    };

    /// <summary>A name-led expression: column reference, <c>t.*</c>, function call, or generic typed literal <c>name 'text'</c>.</summary>
    private Expression ParseNameExpression()
    {
        var start = StartOf;
        var parts = new List<string> { Advance().Text };
        while (Current.Kind == SqlTokenKind.Dot)
        {
            if (PeekToken(1).IsOperator("*"))
            {
                Advance();
                Advance();
                var qualifier = new QualifiedName(SyntaxList.From(parts)) { Span = SpanFrom(start) };
                return new StarExpression(qualifier) { Span = SpanFrom(start) };
            }

            if (PeekToken(1).Kind is not (SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier))
            {
                break;
            }

            Advance();
            parts.Add(ParseLabel());
        }

        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            var name = new QualifiedName(SyntaxList.From(parts)) { Span = SpanFrom(start) };
            return ParseFunctionCall(name, start);
        }

        if (Current.Kind == SqlTokenKind.String && parts.Count <= 2)
        {
            var value = Advance().Text;
            var type = new TypeName(new QualifiedName(SyntaxList.From(parts)), SyntaxList<int>.Empty, SyntaxList<int>.Empty) { Span = SpanFrom(start) };
            return new TypedLiteral(type, value) { Span = SpanFrom(start) };
        }

        return new ColumnReference(SyntaxList.From(parts)) { Span = SpanFrom(start) };
    }

    /// <summary>The argument list and decorations of a call whose name has been read; the current token is '('.</summary>
    private FunctionCall ParseFunctionCall(QualifiedName name, int start)
    {
        Expect(SqlTokenKind.LeftParen);
        var star = false;
        var distinct = false;
        var arguments = SyntaxList<FunctionArgument>.Empty;
        SyntaxList<OrderByItem>? orderBy = null;
        if (AcceptOperator("*"))
        {
            star = true;
        }
        else if (Current.Kind != SqlTokenKind.RightParen)
        {
            distinct = AcceptKeyword("distinct");
            if (!distinct)
            {
                AcceptKeyword("all");
            }

            arguments = ParseCommaList(ParseFunctionArgument);
            if (AcceptKeywords("order", "by"))
            {
                orderBy = ParseOrderByList();
            }
        }

        Expect(SqlTokenKind.RightParen);
        SyntaxList<OrderByItem>? withinGroup = null;
        if (AcceptKeywords("within", "group"))
        {
            Expect(SqlTokenKind.LeftParen);
            ExpectKeyword("order");
            ExpectKeyword("by");
            withinGroup = ParseOrderByList();
            Expect(SqlTokenKind.RightParen);
        }

        Expression? filter = null;
        if (Current.IsKeyword("filter") && PeekToken(1).Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            Advance();
            ExpectKeyword("where");
            filter = ParseExpr();
            Expect(SqlTokenKind.RightParen);
        }

        WindowReference? over = null;
        if (AcceptKeyword("over"))
        {
            var overStart = StartOf;
            over = Current.Kind == SqlTokenKind.LeftParen
                ? ParseWindowSpecification()
                : new NamedWindowReference(ParseName()) { Span = SpanFrom(overStart) };
        }

        return new FunctionCall(name, arguments, star, distinct, orderBy, withinGroup, filter, over) { Span = SpanFrom(start) };
    }

    private FunctionArgument ParseFunctionArgument()
    {
        var start = StartOf;
        AcceptKeyword("variadic");
        string? name = null;
        if (Current.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier
            && (PeekToken(1).IsOperator("=>") || PeekToken(1).Kind == SqlTokenKind.ColonEquals))
        {
            name = Advance().Text;
            Advance();
        }

        return new FunctionArgument(name, ParseExpr()) { Span = SpanFrom(start) };
    }

    private CaseExpression ParseCase()
    {
        var start = StartOf;
        ExpectKeyword("case");
        Expression? operand = null;
        if (!AtKeyword("when"))
        {
            operand = ParseExpr();
        }

        var whens = new List<WhenClause>();
        while (AtKeyword("when"))
        {
            var whenStart = StartOf;
            Advance();
            var condition = ParseExpr();
            ExpectKeyword("then");
            var result = ParseExpr();
            whens.Add(new WhenClause(condition, result) { Span = SpanFrom(whenStart) });
        }

        if (whens.Count == 0)
        {
            throw SyntaxError();
        }

        Expression? otherwise = null;
        if (AcceptKeyword("else"))
        {
            otherwise = ParseExpr();
        }

        ExpectKeyword("end");
        return new CaseExpression(operand, SyntaxList.From(whens), otherwise) { Span = SpanFrom(start) };
    }

    private CastExpression ParseCast()
    {
        var start = StartOf;
        ExpectKeyword("cast");
        Expect(SqlTokenKind.LeftParen);
        var operand = ParseExpr();
        ExpectKeyword("as");
        var type = ParseType();
        Expect(SqlTokenKind.RightParen);
        return new CastExpression(operand, type, IsOperatorSyntax: false) { Span = SpanFrom(start) };
    }

    private Expression ParseArray()
    {
        var start = StartOf;
        ExpectKeyword("array");
        if (Accept(SqlTokenKind.LeftParen))
        {
            var query = ParseQuery();
            Expect(SqlTokenKind.RightParen);
            return new ArraySubqueryExpression(query) { Span = SpanFrom(start) };
        }

        return ParseArrayBrackets(start);
    }

    private ArrayExpression ParseArrayBrackets(int start)
    {
        Expect(SqlTokenKind.LeftBracket);
        var elements = new List<Expression>();
        if (Current.Kind != SqlTokenKind.RightBracket)
        {
            do
            {
                elements.Add(Current.Kind == SqlTokenKind.LeftBracket ? ParseArrayBrackets(StartOf) : ParseExpr());
            }
            while (Accept(SqlTokenKind.Comma));
        }

        Expect(SqlTokenKind.RightBracket);
        return new ArrayExpression(SyntaxList.From(elements)) { Span = SpanFrom(start) };
    }

    private ExtractExpression ParseExtract()
    {
        var start = StartOf;
        Advance();
        Expect(SqlTokenKind.LeftParen);
        string field;
        if (Current.Kind is SqlTokenKind.Identifier or SqlTokenKind.String or SqlTokenKind.QuotedIdentifier)
        {
            field = Advance().Text.ToLowerInvariant();
        }
        else
        {
            Note("identifier");
            throw SyntaxError();
        }

        ExpectKeyword("from");
        var source = ParseExpr();
        Expect(SqlTokenKind.RightParen);
        return new ExtractExpression(field, source) { Span = SpanFrom(start) };
    }

    /// <summary>
    /// SUBSTRING, POSITION, OVERLAY and TRIM with their keyword-separated arguments, turned into the plain
    /// calls PostgreSQL turns them into (<c>position(a IN b)</c> is <c>position(b, a)</c>, TRIM is btrim/ltrim/rtrim).
    /// </summary>
    private FunctionCall ParseSpecialCall(string word)
    {
        var start = StartOf;
        var nameStart = StartOf;
        Advance();
        Expect(SqlTokenKind.LeftParen);
        var args = new List<Expression>();
        var name = word;
        switch (word)
        {
            case "trim":
                {
                    name = AcceptKeyword("leading") ? "ltrim" : AcceptKeyword("trailing") ? "rtrim" : "btrim";
                    if (name == "btrim")
                    {
                        AcceptKeyword("both");
                    }

                    if (AcceptKeyword("from"))
                    {
                        args.AddRange(ParseCommaList(ParseExpr));
                        break;
                    }

                    var first = ParseExpr();
                    if (AcceptKeyword("from"))
                    {
                        args.AddRange(ParseCommaList(ParseExpr));
                        args.Add(first);
                    }
                    else
                    {
                        args.Add(first);
                        while (Accept(SqlTokenKind.Comma))
                        {
                            args.Add(ParseExpr());
                        }
                    }

                    break;
                }

            case "position":
                {
                    var first = ParseExpr(SqlPrecedence.Like + 1);
                    if (AcceptKeyword("in"))
                    {
                        args.Add(ParseExpr(SqlPrecedence.Like + 1));
                        args.Add(first);
                    }
                    else
                    {
                        args.Add(first);
                        while (Accept(SqlTokenKind.Comma))
                        {
                            args.Add(ParseExpr());
                        }
                    }

                    break;
                }

            default:
                {
                    if (Current.Kind == SqlTokenKind.RightParen)
                    {
                        break;
                    }

                    args.Add(ParseExpr());
                    if (word == "substring" && AcceptKeyword("similar"))
                    {
                        args.Add(ParseExpr());
                        ExpectKeyword("escape");
                        args.Add(ParseExpr());
                        break;
                    }

                    if (word == "overlay" && AcceptKeyword("placing"))
                    {
                        args.Add(ParseExpr());
                    }

                    Expression? from = null;
                    Expression? length = null;
                    for (var i = 0; i < 2; i++)
                    {
                        if (from is null && AcceptKeyword("from"))
                        {
                            from = ParseExpr();
                        }
                        else if (length is null && AcceptKeyword("for"))
                        {
                            length = ParseExpr();
                        }
                    }

                    if (from is not null || length is not null)
                    {
                        args.Add(from ?? new IntegerLiteral(1));
                        if (length is not null)
                        {
                            args.Add(length);
                        }
                    }
                    else
                    {
                        while (Accept(SqlTokenKind.Comma))
                        {
                            args.Add(ParseExpr());
                        }
                    }

                    break;
                }
        }

        Expect(SqlTokenKind.RightParen);
        var arguments = SyntaxList.From(args.Select(a => new FunctionArgument(null, a) { Span = a.Span }).ToList());
        var qualified = new QualifiedName([name]) { Span = SourceSpan.FromBounds(nameStart, nameStart + word.Length) };
        return new FunctionCall(qualified, arguments) { Span = SpanFrom(start) };
    }
}
