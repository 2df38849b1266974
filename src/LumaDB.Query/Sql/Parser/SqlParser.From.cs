using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>FROM items: tables, derived tables, table functions and joins.</summary>
public sealed partial class SqlParser
{
    private TableReference ParseTableReference()
    {
        var start = StartOf;
        var left = ParseTablePrimary();
        while (true)
        {
            if (AcceptKeywords("cross", "join"))
            {
                var right = ParseTablePrimary();
                left = new JoinTableReference(JoinKind.Cross, left, right, false, null, SyntaxList<string>.Empty) { Span = SpanFrom(start) };
                continue;
            }

            var natural = AcceptKeyword("natural");
            JoinKind kind;
            if (AcceptKeyword("join"))
            {
                kind = JoinKind.Inner;
            }
            else if (AcceptKeyword("inner"))
            {
                kind = JoinKind.Inner;
                ExpectKeyword("join");
            }
            else if (Current.IsKeyword("left") || Current.IsKeyword("right") || Current.IsKeyword("full"))
            {
                kind = Advance().Text switch
                {
                    "left" => JoinKind.Left,
                    "right" => JoinKind.Right,
                    _ => JoinKind.Full,
                };
                AcceptKeyword("outer");
                ExpectKeyword("join");
            }
            else if (natural)
            {
                Note("JOIN");
                throw SyntaxError();
            }
            else
            {
                Note("left");
                Note("join");
                return left;
            }

            var rightTable = ParseTablePrimary();
            Expression? condition = null;
            var usingColumns = SyntaxList<string>.Empty;
            if (!natural)
            {
                if (AcceptKeyword("on"))
                {
                    condition = ParseExpr();
                }
                else if (AcceptKeyword("using"))
                {
                    usingColumns = ParseParenthesizedNames();
                }
                else
                {
                    throw SyntaxError();
                }
            }

            left = new JoinTableReference(kind, left, rightTable, natural, condition, usingColumns) { Span = SpanFrom(start) };
        }
    }

    private TableReference ParseTablePrimary()
    {
        Enter();
        try
        {
            var start = StartOf;
            var lateral = AcceptKeyword("lateral");
            if (Current.Kind == SqlTokenKind.LeftParen)
            {
                if (ParenthesesLeadToQuery())
                {
                    var query = ParseQueryInParentheses();
                    var alias = ParseTableAlias();
                    return new SubqueryTableReference(query, alias, lateral) { Span = SpanFrom(start) };
                }

                Advance();
                var inner = ParseTableReference();
                Expect(SqlTokenKind.RightParen);
                var joinAlias = ParseTableAlias();
                if (joinAlias is not null && inner is JoinTableReference join)
                {
                    return join with { Alias = joinAlias, Span = SpanFrom(start) };
                }

                if (joinAlias is not null)
                {
                    throw ErrorAt(start, "syntax error at or near \"(\"");
                }

                return inner;
            }

            var only = AcceptKeyword("only");
            var name = ParseQualifiedName();
            if (!only && Current.Kind == SqlTokenKind.LeftParen)
            {
                var call = ParseFunctionCall(name, start);
                var ordinality = AcceptKeywords("with", "ordinality");
                var alias = ParseTableAlias();
                return new FunctionTableReference(call, alias, lateral, ordinality) { Span = SpanFrom(start) };
            }

            if (lateral)
            {
                throw SyntaxError();
            }

            var tableAlias = ParseTableAlias();
            return new NamedTableReference(name, tableAlias, only) { Span = SpanFrom(start) };
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Looks past opening parentheses for SELECT/VALUES/WITH/TABLE, telling a derived table from a parenthesized join.</summary>
    private bool ParenthesesLeadToQuery()
    {
        var ahead = 0;
        while (PeekToken(ahead).Kind == SqlTokenKind.LeftParen)
        {
            ahead++;
        }

        return IsQueryStart(PeekToken(ahead));
    }

    /// <summary>A query in parentheses, where the query itself may start with parentheses.</summary>
    private QueryExpression ParseQueryInParentheses()
    {
        Expect(SqlTokenKind.LeftParen);
        var query = ParseQuery();
        Expect(SqlTokenKind.RightParen);
        return query;
    }

    private TableAlias? ParseTableAlias()
    {
        var start = StartOf;
        string name;
        if (AcceptKeyword("as"))
        {
            name = ParseName();
        }
        else if (AtName() && !Current.IsKeyword("set"))
        {
            name = Advance().Text;
        }
        else
        {
            return null;
        }

        var columns = ParseOptionalParenthesizedNames();
        return new TableAlias(name, columns) { Span = SpanFrom(start) };
    }
}
