using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Statement dispatch and the data-manipulation statements.</summary>
public sealed partial class SqlParser
{
    private Statement ParseStatementCore()
    {
        var start = StartOf;
        var token = Current;
        if (token.Kind == SqlTokenKind.LeftParen)
        {
            return new SelectStatement(ParseQuery()) { Span = SpanFrom(start) };
        }

        if (token.Kind != SqlTokenKind.Identifier)
        {
            throw SyntaxError();
        }

        switch (token.Text)
        {
            case "select":
            case "values":
            case "table":
                return new SelectStatement(ParseQuery()) { Span = SpanFrom(start) };
            case "with":
                {
                    var save = _pos;
                    var with = ParseWithClause();
                    if (Current.IsKeyword("insert") || Current.IsKeyword("update") || Current.IsKeyword("delete"))
                    {
                        return ParseDataModification(with, start);
                    }

                    _pos = save;
                    return new SelectStatement(ParseQuery()) { Span = SpanFrom(start) };
                }

            case "insert":
            case "update":
            case "delete":
                return ParseDataModification(null, start);
            case "create":
                return ParseCreate();
            case "drop":
                return ParseDrop();
            case "alter":
                return ParseAlter();
            case "truncate":
                return ParseTruncate();
            case "comment":
                return ParseComment();
            case "copy":
                return ParseCopy();
            case "vacuum":
            case "analyze":
            case "analyse":
                return ParseMaintenance();
            case "begin":
            case "start":
            case "commit":
            case "end":
            case "rollback":
            case "abort":
            case "savepoint":
            case "release":
                return ParseTransaction();
            case "set":
                return ParseSet();
            case "reset":
                return ParseReset();
            case "show":
                return ParseShow();
            case "explain":
                return ParseExplain();
            case "grant":
                return ParseGrant();
            case "revoke":
                return ParseRevoke();
            case "prepare":
                return ParsePrepare();
            case "execute":
                return ParseExecute();
            case "deallocate":
                return ParseDeallocate();
            case "discard":
                return ParseDiscard();
            default:
                throw SyntaxError();
        }
    }

    /// <summary>INSERT, UPDATE or DELETE, possibly after a WITH clause that has been read already.</summary>
    private Statement ParseDataModification(WithClause? with, int start)
    {
        if (AcceptKeyword("insert"))
        {
            return ParseInsert(with, start);
        }

        if (AcceptKeyword("update"))
        {
            return ParseUpdate(with, start);
        }

        ExpectKeyword("delete");
        return ParseDelete(with, start);
    }

    private InsertStatement ParseInsert(WithClause? with, int start)
    {
        ExpectKeyword("into");
        var table = ParseQualifiedName();
        string? alias = AcceptKeyword("as") ? ParseName() : null;
        var columns = SyntaxList<string>.Empty;
        if (Current.Kind == SqlTokenKind.LeftParen && !IsQueryStart(PeekToken(1)) && PeekToken(1).Kind != SqlTokenKind.LeftParen)
        {
            columns = ParseParenthesizedNames();
        }

        QueryExpression? source = null;
        var overriding = InsertOverriding.None;
        if (!AcceptKeywords("default", "values"))
        {
            if (AcceptKeyword("overriding"))
            {
                overriding = AcceptKeyword("system") ? InsertOverriding.System : InsertOverriding.User;
                if (overriding == InsertOverriding.User)
                {
                    ExpectKeyword("user");
                }

                ExpectKeyword("value");
            }

            source = ParseQuery();
        }

        OnConflictClause? onConflict = null;
        if (AcceptKeywords("on", "conflict"))
        {
            onConflict = ParseOnConflict(_tokens[_pos - 2].Start);
        }

        var returning = ParseReturning();
        return new InsertStatement(with, table, alias, columns, source, onConflict, returning) { Span = SpanFrom(start), Overriding = overriding };
    }

    private OnConflictClause ParseOnConflict(int start)
    {
        var targets = SyntaxList<Expression>.Empty;
        Expression? targetWhere = null;
        string? constraint = null;
        if (Accept(SqlTokenKind.LeftParen))
        {
            targets = ParseCommaList(() => ParseIndexElement().Expression);
            Expect(SqlTokenKind.RightParen);
            if (AcceptKeyword("where"))
            {
                targetWhere = ParseExpr();
            }
        }
        else if (AcceptKeywords("on", "constraint"))
        {
            constraint = ParseName();
        }

        ExpectKeyword("do");
        if (AcceptKeyword("nothing"))
        {
            return new OnConflictClause(targets, targetWhere, constraint, false, SyntaxList<Assignment>.Empty, null) { Span = SpanFrom(start) };
        }

        ExpectKeyword("update");
        ExpectKeyword("set");
        var assignments = ParseCommaList(ParseAssignment);
        var where = AcceptKeyword("where") ? ParseExpr() : null;
        return new OnConflictClause(targets, targetWhere, constraint, true, assignments, where) { Span = SpanFrom(start) };
    }

    private Assignment ParseAssignment()
    {
        var start = StartOf;
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            var columns = ParseParenthesizedNames();
            ExpectOperator("=");
            var valueStart = StartOf;
            Expression value;
            if (Current.IsKeyword("row"))
            {
                value = ParseExpr();
            }
            else
            {
                Expect(SqlTokenKind.LeftParen);
                if (IsQueryStart(Current))
                {
                    var query = ParseQuery();
                    Expect(SqlTokenKind.RightParen);
                    value = new SubqueryExpression(query) { Span = SpanFrom(valueStart) };
                }
                else
                {
                    var fields = ParseCommaList(ParseExpr);
                    Expect(SqlTokenKind.RightParen);
                    value = new RowExpression(fields, HasRowKeyword: false) { Span = SpanFrom(valueStart) };
                }
            }

            return new Assignment(columns, value, IsMultiColumn: true) { Span = SpanFrom(start) };
        }

        var column = ParseName();
        if (Current.Kind == SqlTokenKind.Dot)
        {
            // SET t.col = ... names the target table redundantly; keep only the column.
            Advance();
            column = ParseLabel();
        }

        ExpectOperator("=");
        return new Assignment([column], ParseExpr(), IsMultiColumn: false) { Span = SpanFrom(start) };
    }

    private UpdateStatement ParseUpdate(WithClause? with, int start)
    {
        AcceptKeyword("only");
        var table = ParseQualifiedName();
        var alias = ParseTargetAlias();
        ExpectKeyword("set");
        var assignments = ParseCommaList(ParseAssignment);
        var from = AcceptKeyword("from") ? ParseCommaList(ParseTableReference) : SyntaxList<TableReference>.Empty;
        var where = AcceptKeyword("where") ? ParseExpr() : null;
        var returning = ParseReturning();
        return new UpdateStatement(with, table, alias, assignments, from, where, returning) { Span = SpanFrom(start) };
    }

    private DeleteStatement ParseDelete(WithClause? with, int start)
    {
        ExpectKeyword("from");
        AcceptKeyword("only");
        var table = ParseQualifiedName();
        var alias = ParseTargetAlias();
        var usingTables = AcceptKeyword("using") ? ParseCommaList(ParseTableReference) : SyntaxList<TableReference>.Empty;
        var where = AcceptKeyword("where") ? ParseExpr() : null;
        var returning = ParseReturning();
        return new DeleteStatement(with, table, alias, usingTables, where, returning) { Span = SpanFrom(start) };
    }

    private string? ParseTargetAlias()
    {
        if (AcceptKeyword("as"))
        {
            return ParseName();
        }

        return AtName() && !Current.IsKeyword("set") ? Advance().Text : null;
    }

    private CommentStatement ParseComment()
    {
        var start = StartOf;
        ExpectKeyword("comment");
        ExpectKeyword("on");
        var onColumn = AcceptKeyword("column");
        if (!onColumn)
        {
            ExpectKeyword("table");
        }

        var name = ParseQualifiedName();
        ExpectKeyword("is");
        var text = AcceptKeyword("null") ? null : Expect(SqlTokenKind.String).Text;
        return new CommentStatement(onColumn, name, text) { Span = SpanFrom(start) };
    }

    private TruncateStatement ParseTruncate()
    {
        var start = StartOf;
        ExpectKeyword("truncate");
        AcceptKeyword("table");
        var tables = ParseCommaList(() =>
        {
            AcceptKeyword("only");
            return ParseQualifiedName();
        });
        var restart = false;
        if (AcceptKeyword("restart"))
        {
            ExpectKeyword("identity");
            restart = true;
        }
        else if (AcceptKeyword("continue"))
        {
            ExpectKeyword("identity");
        }

        return new TruncateStatement(tables, restart, ParseDropBehavior()) { Span = SpanFrom(start) };
    }

    private CopyStatement ParseCopy()
    {
        var start = StartOf;
        ExpectKeyword("copy");
        QualifiedName? table = null;
        QueryExpression? query = null;
        var columns = SyntaxList<string>.Empty;
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            query = ParseQueryInParentheses();
        }
        else
        {
            table = ParseQualifiedName();
            columns = ParseOptionalParenthesizedNames();
        }

        bool isFrom;
        if (AcceptKeyword("from"))
        {
            isFrom = true;
        }
        else
        {
            ExpectKeyword("to");
            isFrom = false;
        }

        if (isFrom && query is not null)
        {
            throw SyntaxErrorAt(_pos - 1);
        }

        string? fileName = null;
        if (!AcceptKeyword(isFrom ? "stdin" : "stdout"))
        {
            fileName = Expect(SqlTokenKind.String).Text;
        }

        var options = new List<SqlOption>();
        var hasWith = AcceptKeyword("with");
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            options.AddRange(ParseOptionList());
        }
        else
        {
            ParseLegacyCopyOptions(options);
            if (hasWith && options.Count == 0)
            {
                throw SyntaxError();
            }
        }

        return new CopyStatement(table, columns, query, isFrom, fileName, SyntaxList.From(options)) { Span = SpanFrom(start) };
    }

    /// <summary>VACUUM and ANALYZE with their option list or bare option words, then tables with optional column lists.</summary>
    private MaintenanceStatement ParseMaintenance()
    {
        var start = StartOf;
        var vacuum = Advance().Text == "vacuum";
        var options = new List<SqlOption>();
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            options.AddRange(ParseOptionList());
        }
        else
        {
            foreach (var word in vacuum ? (string[])["full", "freeze", "verbose", "analyze", "analyse"] : ["verbose"])
            {
                var optionStart = StartOf;
                if (AcceptKeyword(word))
                {
                    options.Add(new SqlOption(word == "analyse" ? "analyze" : word, null) { Span = SpanFrom(optionStart) });
                }
            }
        }

        var tables = SyntaxList<QualifiedName>.Empty;
        if (Current.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
        {
            tables = ParseCommaList(() =>
            {
                var name = ParseQualifiedName();
                _ = ParseOptionalParenthesizedNames();
                return name;
            });
        }

        return new MaintenanceStatement(vacuum, SyntaxList.From(options), tables) { Span = SpanFrom(start) };
    }

    /// <summary>The pre-9.0 option syntax <c>WITH CSV HEADER DELIMITER ','</c>, translated to the option names of the new syntax.</summary>
    private void ParseLegacyCopyOptions(List<SqlOption> options)
    {
        while (true)
        {
            var start = StartOf;
            if (AcceptKeyword("csv") || AcceptKeyword("binary"))
            {
                var format = _tokens[_pos - 1].Text;
                options.Add(new SqlOption("format", new StringLiteral(format) { Span = SpanFrom(start) }) { Span = SpanFrom(start) });
            }
            else if (AcceptKeyword("header"))
            {
                options.Add(new SqlOption("header", null) { Span = SpanFrom(start) });
            }
            else if (AcceptKeyword("force"))
            {
                // FORCE QUOTE * | cols, FORCE NOT NULL cols, FORCE NULL cols.
                var name = AcceptKeyword("quote") ? "force_quote" : AcceptKeywords("not", "null") ? "force_not_null" : AcceptKeyword("null") ? "force_null" : throw SyntaxError();
                Expression value;
                if (name == "force_quote" && AcceptOperator("*"))
                {
                    value = new StarExpression(null) { Span = SpanFrom(start) };
                }
                else
                {
                    var valueStart = StartOf;
                    var names = ParseCommaList(() => (Expression)new StringLiteral(ParseName()) { Span = SpanFrom(StartOf) });
                    value = new RowExpression(names, HasRowKeyword: false) { Span = SpanFrom(valueStart) };
                }

                options.Add(new SqlOption(name, value) { Span = SpanFrom(start) });
            }
            else if (Current.IsKeyword("delimiter") || Current.IsKeyword("null") || Current.IsKeyword("quote") || Current.IsKeyword("escape") || Current.IsKeyword("encoding"))
            {
                var name = Advance().Text;
                AcceptKeyword("as");
                var valueStart = StartOf;
                var value = Expect(SqlTokenKind.String).Text;
                options.Add(new SqlOption(name, new StringLiteral(value) { Span = SpanFrom(valueStart) }) { Span = SpanFrom(start) });
            }
            else
            {
                return;
            }
        }
    }

    /// <summary><c>(name [value], ...)</c> as in COPY, EXPLAIN and WITH storage options (<c>=</c> optional).</summary>
    private SyntaxList<SqlOption> ParseOptionList()
    {
        Expect(SqlTokenKind.LeftParen);
        var options = ParseCommaList(() =>
        {
            var start = StartOf;
            var name = ParseLabel();
            while (Current.Kind == SqlTokenKind.Dot)
            {
                Advance();
                name += "." + ParseLabel();
            }

            var hasEquals = AcceptOperator("=");
            Expression? value = null;
            if (Current.Kind == SqlTokenKind.LeftParen)
            {
                // A column list, as in COPY's FORCE_QUOTE (a, b).
                value = ParseNameListValue();
            }
            else if (AcceptOperator("*"))
            {
                value = new StarExpression(null) { Span = SpanFrom(_tokens[_pos - 1].Start) };
            }
            else if (hasEquals || (Current.Kind != SqlTokenKind.Comma && Current.Kind != SqlTokenKind.RightParen))
            {
                value = ParseOptionValue();
            }

            return new SqlOption(name, value) { Span = SpanFrom(start) };
        });
        Expect(SqlTokenKind.RightParen);
        return options;
    }

    /// <summary><c>(name, ...)</c> as an option value: a row of the names as string literals.</summary>
    private RowExpression ParseNameListValue()
    {
        var start = StartOf;
        Expect(SqlTokenKind.LeftParen);
        var names = ParseCommaList(() =>
        {
            var nameStart = StartOf;
            return (Expression)new StringLiteral(ParseName()) { Span = SpanFrom(nameStart) };
        });
        Expect(SqlTokenKind.RightParen);
        return new RowExpression(names, HasRowKeyword: false) { Span = SpanFrom(start) };
    }

    /// <summary>An option or setting value: a constant, a signed number, or a word kept as a string.</summary>
    private Expression ParseOptionValue()
    {
        var start = StartOf;
        var token = Current;
        switch (token.Kind)
        {
            case SqlTokenKind.String:
                Advance();
                return new StringLiteral(token.Text) { Span = SpanFrom(start) };
            case SqlTokenKind.Integer:
            case SqlTokenKind.Decimal:
                return ParsePrimary(out _);
            case SqlTokenKind.Operator when token.Text is "-" or "+":
                Advance();
                var number = ParsePrimary(out _);
                if (number is not (IntegerLiteral or NumericLiteral))
                {
                    throw SyntaxErrorAt(_pos - 1);
                }

                return token.Text == "-" ? Negate(number, start) : number;
            case SqlTokenKind.Identifier:
            case SqlTokenKind.QuotedIdentifier:
                Advance();
                var word = token.Text;
                while (Current.Kind == SqlTokenKind.Dot && PeekToken(1).Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
                {
                    Advance();
                    word += "." + Advance().Text;
                }

                return new StringLiteral(word) { Span = SpanFrom(start) };
            default:
                Note("option value");
                throw SyntaxError();
        }
    }
}
