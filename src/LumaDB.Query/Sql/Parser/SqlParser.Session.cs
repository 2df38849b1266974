using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Transaction control, SET/RESET/SHOW, EXPLAIN, PREPARE/EXECUTE/DEALLOCATE and DISCARD.</summary>
public sealed partial class SqlParser
{
    private TransactionStatement ParseTransaction()
    {
        var start = StartOf;
        var word = Advance().Text;
        switch (word)
        {
            case "begin":
                if (!AcceptKeyword("transaction"))
                {
                    AcceptKeyword("work");
                }

                return new TransactionStatement(TransactionCommand.Begin, null, ParseTransactionModes()) { Span = SpanFrom(start) };
            case "start":
                ExpectKeyword("transaction");
                return new TransactionStatement(TransactionCommand.Begin, null, ParseTransactionModes()) { Span = SpanFrom(start) };
            case "commit":
            case "end":
                if (!AcceptKeyword("transaction"))
                {
                    AcceptKeyword("work");
                }

                return new TransactionStatement(TransactionCommand.Commit, null, null, ParseAndChain()) { Span = SpanFrom(start) };
            case "savepoint":
                return new TransactionStatement(TransactionCommand.Savepoint, ParseName(), null) { Span = SpanFrom(start) };
            case "release":
                AcceptKeyword("savepoint");
                return new TransactionStatement(TransactionCommand.Release, ParseName(), null) { Span = SpanFrom(start) };
            default:
                if (!AcceptKeyword("transaction"))
                {
                    AcceptKeyword("work");
                }

                if (word == "rollback" && AcceptKeyword("to"))
                {
                    AcceptKeyword("savepoint");
                    return new TransactionStatement(TransactionCommand.RollbackToSavepoint, ParseName(), null) { Span = SpanFrom(start) };
                }

                return new TransactionStatement(TransactionCommand.Rollback, null, null, ParseAndChain()) { Span = SpanFrom(start) };
        }
    }

    private bool ParseAndChain()
    {
        if (!AcceptKeyword("and"))
        {
            return false;
        }

        var chain = !AcceptKeyword("no");
        ExpectKeyword("chain");
        return chain;
    }

    private TransactionModes? ParseTransactionModes()
    {
        var start = StartOf;
        IsolationLevel? isolation = null;
        bool? readOnly = null;
        bool? deferrable = null;
        var any = false;
        while (true)
        {
            if (AcceptKeywords("isolation", "level"))
            {
                isolation = AcceptKeyword("serializable") ? IsolationLevel.Serializable
                    : AcceptKeywords("repeatable", "read") ? IsolationLevel.RepeatableRead
                    : AcceptKeywords("read", "committed") ? IsolationLevel.ReadCommitted
                    : AcceptKeywords("read", "uncommitted") ? IsolationLevel.ReadUncommitted
                    : throw SyntaxError();
            }
            else if (AcceptKeywords("read", "only"))
            {
                readOnly = true;
            }
            else if (AcceptKeywords("read", "write"))
            {
                readOnly = false;
            }
            else if (AcceptKeyword("deferrable"))
            {
                deferrable = true;
            }
            else if (AcceptKeywords("not", "deferrable"))
            {
                deferrable = false;
            }
            else
            {
                break;
            }

            any = true;
            Accept(SqlTokenKind.Comma);
        }

        return any ? new TransactionModes(isolation, readOnly, deferrable) { Span = SpanFrom(start) } : null;
    }

    private Statement ParseSet()
    {
        var start = StartOf;
        ExpectKeyword("set");
        var scope = SetScope.Session;
        if (AcceptKeyword("local"))
        {
            scope = SetScope.Local;
        }
        else if (Current.IsKeyword("session") && !PeekKeyword(1, "characteristics") && !PeekKeyword(1, "authorization") && !PeekToken(1).IsOperator("=") && !PeekKeyword(1, "to"))
        {
            Advance();
        }

        if (AcceptKeyword("transaction"))
        {
            var modes = ParseTransactionModes() ?? throw SyntaxError();
            return new SetTransactionStatement(modes, false) { Span = SpanFrom(start) };
        }

        if (AcceptKeywords("session", "characteristics"))
        {
            ExpectKeyword("as");
            ExpectKeyword("transaction");
            var modes = ParseTransactionModes() ?? throw SyntaxError();
            return new SetTransactionStatement(modes, true) { Span = SpanFrom(start) };
        }

        return ParseSetBody(scope, start);
    }

    /// <summary>The part of SET after the scope: <c>name {= | TO} values | DEFAULT</c> or <c>TIME ZONE value</c>.</summary>
    private SetStatement ParseSetBody(SetScope scope, int start)
    {
        if (AcceptKeywords("time", "zone"))
        {
            var values = AcceptKeyword("local") || AcceptKeyword("default")
                ? SyntaxList<Expression>.Empty
                : [Current.IsKeyword("interval") ? ParseExpr() : ParseOptionValue()];
            return new SetStatement(scope, "timezone", values) { Span = SpanFrom(start) };
        }

        if (AcceptKeywords("session", "authorization"))
        {
            var user = AcceptKeyword("default") ? SyntaxList<Expression>.Empty : [ParseOptionValue()];
            return new SetStatement(scope, "session_authorization", user) { Span = SpanFrom(start) };
        }

        var name = ParseSettingName();

        // SET ROLE, SET NAMES and SET SCHEMA take their value without TO or '='.
        var alias = name switch
        {
            "role" => "role",
            "names" => "client_encoding",
            "schema" => "search_path",
            _ => null,
        };
        if (alias is not null && !Current.IsKeyword("to") && !Current.IsOperator("="))
        {
            var value = alias == "role" && AcceptKeyword("none") ? new StringLiteral("none") { Span = SpanFrom(start) } : ParseOptionValue();
            return new SetStatement(scope, alias, [value]) { Span = SpanFrom(start) };
        }

        if (!AcceptKeyword("to"))
        {
            ExpectOperator("=");
        }

        if (AcceptKeyword("default"))
        {
            return new SetStatement(scope, name, SyntaxList<Expression>.Empty) { Span = SpanFrom(start) };
        }

        return new SetStatement(scope, name, ParseCommaList(ParseOptionValue)) { Span = SpanFrom(start) };
    }

    private string ParseSettingName()
    {
        var name = ParseLabel();
        while (Accept(SqlTokenKind.Dot))
        {
            name += "." + ParseLabel();
        }

        return name;
    }

    private ResetStatement ParseReset()
    {
        var start = StartOf;
        ExpectKeyword("reset");
        if (AcceptKeyword("all"))
        {
            return new ResetStatement(null) { Span = SpanFrom(start) };
        }

        var name = AcceptKeywords("time", "zone") ? "timezone" : ParseSettingName();
        return new ResetStatement(name) { Span = SpanFrom(start) };
    }

    private ShowStatement ParseShow()
    {
        var start = StartOf;
        ExpectKeyword("show");
        string name;
        if (AcceptKeywords("time", "zone"))
        {
            name = "timezone";
        }
        else if (AcceptKeywords("transaction", "isolation"))
        {
            ExpectKeyword("level");
            name = "transaction_isolation";
        }
        else
        {
            name = ParseSettingName();
        }

        return new ShowStatement(name) { Span = SpanFrom(start) };
    }

    private ExplainStatement ParseExplain()
    {
        var start = StartOf;
        ExpectKeyword("explain");
        SyntaxList<SqlOption> options;
        if (Current.Kind == SqlTokenKind.LeftParen && !IsQueryStart(PeekToken(1)) && PeekToken(1).Kind != SqlTokenKind.LeftParen)
        {
            options = ParseOptionList();
        }
        else
        {
            var list = new List<SqlOption>();
            foreach (var word in (string[])["analyze", "analyse", "verbose"])
            {
                var optionStart = StartOf;
                if (AcceptKeyword(word))
                {
                    list.Add(new SqlOption(word == "analyse" ? "analyze" : word, null) { Span = SpanFrom(optionStart) });
                }
            }

            options = SyntaxList.From(list);
        }

        var statement = ParseStatementCore();
        return new ExplainStatement(options, statement) { Span = SpanFrom(start) };
    }

    private PrepareStatement ParsePrepare()
    {
        var start = StartOf;
        ExpectKeyword("prepare");
        var name = ParseName();
        var types = SyntaxList<TypeName>.Empty;
        if (Accept(SqlTokenKind.LeftParen))
        {
            types = ParseCommaList(ParseType);
            Expect(SqlTokenKind.RightParen);
        }

        ExpectKeyword("as");
        return new PrepareStatement(name, types, ParseStatementCore()) { Span = SpanFrom(start) };
    }

    private ExecuteStatement ParseExecute()
    {
        var start = StartOf;
        ExpectKeyword("execute");
        var name = ParseName();
        var arguments = SyntaxList<Expression>.Empty;
        if (Accept(SqlTokenKind.LeftParen))
        {
            arguments = ParseCommaList(ParseExpr);
            Expect(SqlTokenKind.RightParen);
        }

        return new ExecuteStatement(name, arguments) { Span = SpanFrom(start) };
    }

    private DeallocateStatement ParseDeallocate()
    {
        var start = StartOf;
        ExpectKeyword("deallocate");
        AcceptKeyword("prepare");
        var name = AcceptKeyword("all") ? null : ParseName();
        return new DeallocateStatement(name) { Span = SpanFrom(start) };
    }

    private DiscardStatement ParseDiscard()
    {
        var start = StartOf;
        ExpectKeyword("discard");
        var target = AcceptKeyword("all") ? DiscardTarget.All
            : AcceptKeyword("plans") ? DiscardTarget.Plans
            : AcceptKeyword("sequences") ? DiscardTarget.Sequences
            : AcceptKeyword("temp") || AcceptKeyword("temporary") ? DiscardTarget.Temporary
            : throw SyntaxError();
        return new DiscardStatement(target) { Span = SpanFrom(start) };
    }
}
