using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>CREATE/DROP/ALTER for tables, indexes, views and schemas.</summary>
public sealed partial class SqlParser
{
    private Statement ParseCreate()
    {
        var start = StartOf;
        ExpectKeyword("create");
        var orReplace = AcceptKeywords("or", "replace");
        var temporary = AcceptKeyword("temporary") || AcceptKeyword("temp");
        if (!temporary)
        {
            AcceptKeyword("unlogged");
        }

        if (AcceptKeyword("table"))
        {
            return ParseCreateTable(start, temporary);
        }

        if (AcceptKeyword("unique"))
        {
            ExpectKeyword("index");
            return ParseCreateIndex(start, unique: true);
        }

        if (AcceptKeyword("index"))
        {
            return ParseCreateIndex(start, unique: false);
        }

        if (AcceptKeyword("view"))
        {
            return ParseCreateView(start, orReplace, materialized: false, temporary);
        }

        if (AcceptKeywords("materialized", "view"))
        {
            return ParseCreateView(start, orReplace, materialized: true, temporary);
        }

        if (AcceptKeyword("sequence"))
        {
            return ParseCreateSequence(start);
        }

        if (AcceptKeyword("schema"))
        {
            var ifNotExists = AcceptIfNotExists();
            string? name = AtName() && !Current.IsKeyword("authorization") ? Advance().Text : null;
            string? authorization = AcceptKeyword("authorization") ? ParseName() : null;
            if (name is null && authorization is null)
            {
                throw SyntaxError();
            }

            return new CreateSchemaStatement(name, ifNotExists, authorization) { Span = SpanFrom(start) };
        }

        if (Current.IsKeyword("role") || Current.IsKeyword("user") || Current.IsKeyword("group"))
        {
            return ParseCreateRole(start);
        }

        throw SyntaxError();
    }

    private Statement ParseCreateTable(int start, bool temporary)
    {
        var ifNotExists = AcceptIfNotExists();
        var name = ParseQualifiedName();
        if (Current.Kind != SqlTokenKind.LeftParen || IsCreateTableAsColumnList())
        {
            var asColumns = ParseOptionalParenthesizedNames();
            var asOptions = AcceptKeyword("with") ? ParseOptionList() : SyntaxList<SqlOption>.Empty;
            ExpectKeyword("as");
            var query = ParseQuery();
            var withData = ParseWithData();
            return new CreateTableAsStatement(name, ifNotExists, temporary, asColumns, asOptions, query, withData) { Span = SpanFrom(start) };
        }

        Expect(SqlTokenKind.LeftParen);
        var columns = new List<ColumnDefinition>();
        var constraints = new List<TableConstraint>();
        if (Current.Kind != SqlTokenKind.RightParen)
        {
            do
            {
                if (IsTableConstraintStart())
                {
                    constraints.Add(ParseTableConstraint());
                }
                else
                {
                    columns.Add(ParseColumnDefinition());
                }
            }
            while (Accept(SqlTokenKind.Comma));
        }

        Expect(SqlTokenKind.RightParen);
        var options = AcceptKeyword("with") ? ParseOptionList() : SyntaxList<SqlOption>.Empty;
        return new CreateTableStatement(name, ifNotExists, temporary, SyntaxList.From(columns), SyntaxList.From(constraints), options) { Span = SpanFrom(start) };
    }

    /// <summary>True when the parenthesis after the table name is a bare name list followed by AS (CREATE TABLE t (a, b) AS ...).</summary>
    private bool IsCreateTableAsColumnList()
    {
        var ahead = 1;
        while (PeekToken(ahead).Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
        {
            var next = PeekToken(ahead + 1).Kind;
            if (next == SqlTokenKind.RightParen)
            {
                var after = PeekToken(ahead + 2);
                return after.IsKeyword("as") || after.IsKeyword("with");
            }

            if (next != SqlTokenKind.Comma)
            {
                return false;
            }

            ahead += 2;
        }

        return false;
    }

    private bool ParseWithData()
    {
        if (AcceptKeyword("with"))
        {
            var withData = !AcceptKeyword("no");
            ExpectKeyword("data");
            return withData;
        }

        return true;
    }

    private bool IsTableConstraintStart() =>
        Current.IsKeyword("constraint") || Current.IsKeyword("primary") || Current.IsKeyword("unique")
        || Current.IsKeyword("check") || Current.IsKeyword("foreign");

    private ColumnDefinition ParseColumnDefinition()
    {
        var start = StartOf;
        var name = ParseName();
        var type = ParseType();
        QualifiedName? collation = null;
        var constraints = new List<ColumnConstraint>();
        while (true)
        {
            if (AcceptKeyword("collate"))
            {
                collation = ParseQualifiedName();
                continue;
            }

            var constraint = TryParseColumnConstraint();
            if (constraint is null)
            {
                break;
            }

            constraints.Add(constraint);
        }

        return new ColumnDefinition(name, type, SyntaxList.From(constraints), collation) { Span = SpanFrom(start) };
    }

    private ColumnConstraint? TryParseColumnConstraint()
    {
        var start = StartOf;
        string? name = null;
        if (AcceptKeyword("constraint"))
        {
            name = ParseName();
        }

        ColumnConstraint Make(ColumnConstraintKind kind, Expression? expression = null, ForeignKeyReference? references = null) =>
            new(name, kind, expression, references) { Span = SpanFrom(start) };

        if (AcceptKeywords("not", "null"))
        {
            return Make(ColumnConstraintKind.NotNull);
        }

        if (AcceptKeyword("null"))
        {
            return Make(ColumnConstraintKind.Null);
        }

        if (AcceptKeyword("default"))
        {
            return Make(ColumnConstraintKind.Default, ParseExpr(SqlPrecedence.OtherOperator));
        }

        if (AcceptKeywords("primary", "key"))
        {
            return Make(ColumnConstraintKind.PrimaryKey);
        }

        if (AcceptKeyword("unique"))
        {
            return Make(ColumnConstraintKind.Unique);
        }

        if (AcceptKeyword("check"))
        {
            Expect(SqlTokenKind.LeftParen);
            var check = ParseExpr();
            Expect(SqlTokenKind.RightParen);
            return Make(ColumnConstraintKind.Check, check);
        }

        if (AtKeyword("references"))
        {
            return Make(ColumnConstraintKind.References, references: ParseReferences());
        }

        if (AcceptKeyword("generated"))
        {
            if (AcceptKeywords("by", "default"))
            {
                ExpectKeyword("as");
                ExpectKeyword("identity");
                return Make(ColumnConstraintKind.IdentityByDefault) with { SequenceOptions = ParseIdentityOptions() };
            }

            ExpectKeyword("always");
            ExpectKeyword("as");
            if (AcceptKeyword("identity"))
            {
                return Make(ColumnConstraintKind.IdentityAlways) with { SequenceOptions = ParseIdentityOptions() };
            }

            Expect(SqlTokenKind.LeftParen);
            var generated = ParseExpr();
            Expect(SqlTokenKind.RightParen);
            ExpectKeyword("stored");
            return Make(ColumnConstraintKind.Generated, generated);
        }

        if (name is not null)
        {
            throw SyntaxError();
        }

        return null;
    }

    /// <summary>The parenthesized sequence options after <c>AS IDENTITY</c>, or null.</summary>
    private SyntaxList<SequenceOption>? ParseIdentityOptions()
    {
        if (!Accept(SqlTokenKind.LeftParen))
        {
            return null;
        }

        var options = ParseSequenceOptions(alter: false);
        Expect(SqlTokenKind.RightParen);
        return SyntaxList.From(options);
    }

    private ForeignKeyReference ParseReferences()
    {
        var start = StartOf;
        ExpectKeyword("references");
        var table = ParseQualifiedName();
        var columns = ParseOptionalParenthesizedNames();
        if (AcceptKeyword("match"))
        {
            if (!AcceptKeyword("full") && !AcceptKeyword("partial"))
            {
                ExpectKeyword("simple");
            }
        }

        var onDelete = ReferentialAction.Default;
        var onUpdate = ReferentialAction.Default;
        while (Current.IsKeyword("on") && (PeekKeyword(1, "delete") || PeekKeyword(1, "update")))
        {
            Advance();
            var isDelete = Advance().Text == "delete";
            var action = AcceptKeywords("no", "action") ? ReferentialAction.NoAction
                : AcceptKeyword("restrict") ? ReferentialAction.Restrict
                : AcceptKeyword("cascade") ? ReferentialAction.Cascade
                : AcceptKeywords("set", "null") ? ReferentialAction.SetNull
                : AcceptKeywords("set", "default") ? ReferentialAction.SetDefault
                : throw SyntaxError();
            if (isDelete)
            {
                onDelete = action;
            }
            else
            {
                onUpdate = action;
            }
        }

        return new ForeignKeyReference(table, columns, onDelete, onUpdate) { Span = SpanFrom(start) };
    }

    private TableConstraint ParseTableConstraint()
    {
        var start = StartOf;
        string? name = AcceptKeyword("constraint") ? ParseName() : null;
        if (AcceptKeywords("primary", "key"))
        {
            return new TableConstraint(name, TableConstraintKind.PrimaryKey, ParseParenthesizedNames()) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("unique"))
        {
            return new TableConstraint(name, TableConstraintKind.Unique, ParseParenthesizedNames()) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("check"))
        {
            Expect(SqlTokenKind.LeftParen);
            var check = ParseExpr();
            Expect(SqlTokenKind.RightParen);
            return new TableConstraint(name, TableConstraintKind.Check, SyntaxList<string>.Empty, check) { Span = SpanFrom(start) };
        }

        ExpectKeyword("foreign");
        ExpectKeyword("key");
        var columns = ParseParenthesizedNames();
        var references = ParseReferences();
        return new TableConstraint(name, TableConstraintKind.ForeignKey, columns, null, references) { Span = SpanFrom(start) };
    }

    private CreateIndexStatement ParseCreateIndex(int start, bool unique)
    {
        var concurrently = AcceptKeyword("concurrently");
        var ifNotExists = AcceptIfNotExists();
        string? name = null;
        if (!Current.IsKeyword("on"))
        {
            name = ParseName();
        }

        ExpectKeyword("on");
        AcceptKeyword("only");
        var table = ParseQualifiedName();
        string? method = AcceptKeyword("using") ? ParseName() : null;
        Expect(SqlTokenKind.LeftParen);
        var elements = ParseCommaList(ParseIndexElement);
        Expect(SqlTokenKind.RightParen);
        var include = AcceptKeyword("include") ? ParseParenthesizedNames() : SyntaxList<string>.Empty;
        var options = AcceptKeyword("with") ? ParseOptionList() : SyntaxList<SqlOption>.Empty;
        var where = AcceptKeyword("where") ? ParseExpr() : null;
        return new CreateIndexStatement(name, table, unique, ifNotExists, concurrently, method, elements, include, options, where) { Span = SpanFrom(start) };
    }

    private IndexElement ParseIndexElement()
    {
        var start = StartOf;
        Expression expression;
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            expression = ParseExpr();
            Expect(SqlTokenKind.RightParen);
        }
        else
        {
            // A column or a function call; anything looser needs parentheses, as in PostgreSQL.
            expression = ParseExpr(SqlPrecedence.Postfix);
        }

        QualifiedName? opClass = null;
        if (AtName() && !Current.IsKeyword("nulls"))
        {
            opClass = ParseQualifiedName();
        }

        var direction = AcceptKeyword("asc") ? SortDirection.Ascending : AcceptKeyword("desc") ? SortDirection.Descending : SortDirection.Default;
        var nulls = NullsOrder.Default;
        if (AcceptKeyword("nulls"))
        {
            nulls = AcceptKeyword("first") ? NullsOrder.First : AcceptKeyword("last") ? NullsOrder.Last : throw SyntaxError();
        }

        return new IndexElement(expression, opClass, direction, nulls) { Span = SpanFrom(start) };
    }

    private CreateViewStatement ParseCreateView(int start, bool orReplace, bool materialized, bool temporary)
    {
        var ifNotExists = AcceptIfNotExists();
        var name = ParseQualifiedName();
        var columns = ParseOptionalParenthesizedNames();
        var options = AcceptKeyword("with") ? ParseOptionList() : SyntaxList<SqlOption>.Empty;
        ExpectKeyword("as");
        var query = ParseQuery();
        var withData = true;
        if (materialized)
        {
            withData = ParseWithData();
        }
        else if (AcceptKeyword("with"))
        {
            if (!AcceptKeyword("local"))
            {
                AcceptKeyword("cascaded");
            }

            ExpectKeyword("check");
            ExpectKeyword("option");
        }

        return new CreateViewStatement(name, orReplace, materialized, ifNotExists, temporary, columns, options, query, withData) { Span = SpanFrom(start) };
    }

    private DropStatement ParseDrop()
    {
        var start = StartOf;
        ExpectKeyword("drop");
        DropObjectKind kind;
        if (AcceptKeyword("table"))
        {
            kind = DropObjectKind.Table;
        }
        else if (AcceptKeyword("index"))
        {
            kind = DropObjectKind.Index;
        }
        else if (AcceptKeyword("view"))
        {
            kind = DropObjectKind.View;
        }
        else if (AcceptKeywords("materialized", "view"))
        {
            kind = DropObjectKind.MaterializedView;
        }
        else if (AcceptKeyword("schema"))
        {
            kind = DropObjectKind.Schema;
        }
        else if (AcceptKeyword("role"))
        {
            kind = DropObjectKind.Role;
        }
        else if (AcceptKeyword("user"))
        {
            kind = DropObjectKind.User;
        }
        else if (AcceptKeyword("sequence"))
        {
            kind = DropObjectKind.Sequence;
        }
        else
        {
            throw SyntaxError();
        }

        var concurrently = kind == DropObjectKind.Index && AcceptKeyword("concurrently");
        var ifExists = AcceptIfExists();
        var names = ParseQualifiedNameList();
        return new DropStatement(kind, ifExists, names, ParseDropBehavior(), concurrently) { Span = SpanFrom(start) };
    }
}
