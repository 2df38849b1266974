using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>ALTER TABLE and the role statements.</summary>
public sealed partial class SqlParser
{
    private Statement ParseAlter()
    {
        var start = StartOf;
        ExpectKeyword("alter");
        if (Current.IsKeyword("role") || Current.IsKeyword("user"))
        {
            Advance();
            return ParseAlterRole(start);
        }

        if (AcceptKeyword("sequence"))
        {
            return ParseAlterSequence(start);
        }

        ExpectKeyword("table");
        var ifExists = AcceptIfExists();
        AcceptKeyword("only");
        var table = ParseQualifiedName();
        var actions = ParseCommaList(ParseAlterTableAction);
        return new AlterTableStatement(table, ifExists, actions) { Span = SpanFrom(start) };
    }

    private AlterTableAction ParseAlterTableAction()
    {
        var start = StartOf;
        if (AcceptKeyword("add"))
        {
            if (IsTableConstraintStart())
            {
                return new AddConstraintAction(ParseTableConstraint()) { Span = SpanFrom(start) };
            }

            AcceptKeyword("column");
            var ifNotExists = AcceptIfNotExists();
            return new AddColumnAction(ParseColumnDefinition(), ifNotExists) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("drop"))
        {
            if (AcceptKeyword("constraint"))
            {
                var constraintIfExists = AcceptIfExists();
                var constraint = ParseName();
                return new DropConstraintAction(constraint, constraintIfExists, ParseDropBehavior()) { Span = SpanFrom(start) };
            }

            AcceptKeyword("column");
            var ifExists = AcceptIfExists();
            var column = ParseName();
            return new DropColumnAction(column, ifExists, ParseDropBehavior()) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("rename"))
        {
            if (AcceptKeyword("to"))
            {
                return new RenameTableAction(ParseName()) { Span = SpanFrom(start) };
            }

            AcceptKeyword("column");
            var column = ParseName();
            ExpectKeyword("to");
            return new RenameColumnAction(column, ParseName()) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("set"))
        {
            return new SetTableOptionsAction(ParseOptionList()) { Span = SpanFrom(start) };
        }

        ExpectKeyword("alter");
        AcceptKeyword("column");
        var name = ParseName();
        if (AcceptKeyword("type") || (AcceptKeywords("set", "data") && Expects("type")))
        {
            var type = ParseType();
            var usingExpression = AcceptKeyword("using") ? ParseExpr() : null;
            return new AlterColumnTypeAction(name, type, usingExpression) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("set"))
        {
            if (AcceptKeyword("default"))
            {
                return new AlterColumnDefaultAction(name, ParseExpr()) { Span = SpanFrom(start) };
            }

            ExpectKeyword("not");
            ExpectKeyword("null");
            return new AlterColumnNullabilityAction(name, NotNull: true) { Span = SpanFrom(start) };
        }

        if (AcceptKeywords("add", "generated"))
        {
            var always = AcceptKeyword("always");
            if (!always)
            {
                ExpectKeyword("by");
                ExpectKeyword("default");
            }

            ExpectKeyword("as");
            ExpectKeyword("identity");
            return new AddIdentityAction(name, always, ParseIdentityOptions()) { Span = SpanFrom(start) };
        }

        ExpectKeyword("drop");
        if (AcceptKeyword("default"))
        {
            return new AlterColumnDefaultAction(name, null) { Span = SpanFrom(start) };
        }

        if (AcceptKeyword("identity"))
        {
            return new DropIdentityAction(name, AcceptKeywords("if", "exists")) { Span = SpanFrom(start) };
        }

        ExpectKeyword("not");
        ExpectKeyword("null");
        return new AlterColumnNullabilityAction(name, NotNull: false) { Span = SpanFrom(start) };
    }

    private bool Expects(string keyword)
    {
        ExpectKeyword(keyword);
        return true;
    }

    private CreateRoleStatement ParseCreateRole(int start)
    {
        var keyword = Advance().Text switch
        {
            "user" => RoleKeyword.User,
            "group" => RoleKeyword.Group,
            _ => RoleKeyword.Role,
        };
        var name = ParseName();
        AcceptKeyword("with");
        return new CreateRoleStatement(keyword, name, ParseRoleOptions()) { Span = SpanFrom(start) };
    }

    private AlterRoleStatement ParseAlterRole(int start)
    {
        var name = Current.Kind == SqlTokenKind.Identifier && Current.Text is "current_user" or "session_user" or "current_role"
            ? Advance().Text
            : ParseName();
        if (AcceptKeyword("rename"))
        {
            ExpectKeyword("to");
            return new AlterRoleStatement(name, SyntaxList<SqlOption>.Empty, ParseName(), null) { Span = SpanFrom(start) };
        }

        if (AtKeyword("set") || AtKeyword("reset"))
        {
            var setStart = StartOf;
            if (AcceptKeyword("reset"))
            {
                var resetName = AcceptKeyword("all") ? null : ParseSettingName();
                var reset = new SetStatement(SetScope.Session, resetName ?? "all", SyntaxList<Expression>.Empty) { Span = SpanFrom(setStart) };
                return new AlterRoleStatement(name, SyntaxList<SqlOption>.Empty, null, reset) { Span = SpanFrom(start) };
            }

            Advance();
            var set = ParseSetBody(SetScope.Session, setStart);
            return new AlterRoleStatement(name, SyntaxList<SqlOption>.Empty, null, set) { Span = SpanFrom(start) };
        }

        AcceptKeyword("with");
        return new AlterRoleStatement(name, ParseRoleOptions(), null, null) { Span = SpanFrom(start) };
    }

    /// <summary>Role options such as LOGIN, SUPERUSER, PASSWORD 'x', CONNECTION LIMIT 5, VALID UNTIL '...', IN ROLE r.</summary>
    private SyntaxList<SqlOption> ParseRoleOptions()
    {
        var options = new List<SqlOption>();
        while (Current.Kind == SqlTokenKind.Identifier)
        {
            var start = StartOf;
            var word = Current.Text;
            switch (word)
            {
                case "password":
                    {
                        Advance();
                        Expression value = AcceptKeyword("null")
                            ? new NullLiteral { Span = SpanFrom(start) }
                            : new StringLiteral(Expect(SqlTokenKind.String).Text) { Span = SpanFrom(start) };
                        options.Add(new SqlOption("password", value) { Span = SpanFrom(start) });
                        continue;
                    }

                case "encrypted":
                    Advance();
                    continue;
                case "connection":
                    Advance();
                    ExpectKeyword("limit");
                    options.Add(new SqlOption("connection limit", ParseOptionValue()) { Span = SpanFrom(start) });
                    continue;
                case "valid":
                    Advance();
                    ExpectKeyword("until");
                    options.Add(new SqlOption("valid until", new StringLiteral(Expect(SqlTokenKind.String).Text) { Span = SpanFrom(start) }) { Span = SpanFrom(start) });
                    continue;
                case "in":
                    Advance();
                    if (!AcceptKeyword("role"))
                    {
                        ExpectKeyword("group");
                    }

                    options.Add(new SqlOption("in role", new StringLiteral(string.Join(",", ParseCommaList(ParseName))) { Span = SpanFrom(start) }) { Span = SpanFrom(start) });
                    continue;
                case "login" or "nologin" or "superuser" or "nosuperuser" or "createdb" or "nocreatedb" or "createrole"
                    or "nocreaterole" or "inherit" or "noinherit" or "replication" or "noreplication" or "bypassrls" or "nobypassrls":
                    Advance();
                    options.Add(new SqlOption(word, null) { Span = SpanFrom(start) });
                    continue;
            }

            break;
        }

        return SyntaxList.From(options);
    }

    private GrantStatement ParseGrant()
    {
        var start = StartOf;
        ExpectKeyword("grant");
        var privileges = ParsePrivileges();
        if (AcceptKeyword("to"))
        {
            var roleGrantees = ParseGrantees();
            var withAdmin = AcceptKeyword("with") && Expects("admin") && Expects("option");
            return new GrantStatement(privileges, GrantObjectKind.Table, SyntaxList<QualifiedName>.Empty, roleGrantees, withAdmin) { Span = SpanFrom(start) };
        }

        ExpectKeyword("on");
        var (kind, objects) = ParseGrantObjects();
        ExpectKeyword("to");
        var grantees = ParseGrantees();
        var withGrant = AcceptKeyword("with") && Expects("grant") && Expects("option");
        return new GrantStatement(privileges, kind, objects, grantees, withGrant) { Span = SpanFrom(start) };
    }

    private RevokeStatement ParseRevoke()
    {
        var start = StartOf;
        ExpectKeyword("revoke");
        var grantOptionFor = AcceptKeywords("grant", "option") && Expects("for");
        if (!grantOptionFor && AcceptKeywords("admin", "option"))
        {
            ExpectKeyword("for");
            grantOptionFor = true;
        }

        var privileges = ParsePrivileges();
        var kind = GrantObjectKind.Table;
        var objects = SyntaxList<QualifiedName>.Empty;
        if (AcceptKeyword("on"))
        {
            (kind, objects) = ParseGrantObjects();
        }

        ExpectKeyword("from");
        var grantees = ParseGrantees();
        return new RevokeStatement(privileges, kind, objects, grantees, grantOptionFor, ParseDropBehavior()) { Span = SpanFrom(start) };
    }

    private SyntaxList<string> ParsePrivileges()
    {
        if (AcceptKeyword("all"))
        {
            AcceptKeyword("privileges");
            return ["all"];
        }

        return ParseCommaList(() =>
        {
            if (Current.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier && Current.Text is "select" or "insert" or "update" or "delete"
                or "truncate" or "references" or "trigger" or "usage" or "create" or "connect" or "temporary" or "temp" or "execute")
            {
                return Advance().Text;
            }

            return ParseName();
        });
    }

    private (GrantObjectKind Kind, SyntaxList<QualifiedName> Objects) ParseGrantObjects()
    {
        if (AcceptKeyword("all"))
        {
            ExpectKeyword("tables");
            ExpectKeyword("in");
            ExpectKeyword("schema");
            return (GrantObjectKind.AllTablesInSchema, ParseQualifiedNameList());
        }

        var kind = AcceptKeyword("schema") ? GrantObjectKind.Schema
            : AcceptKeyword("database") ? GrantObjectKind.Database
            : AcceptKeyword("sequence") ? GrantObjectKind.Sequence
            : AcceptKeyword("function") ? GrantObjectKind.Function
            : GrantObjectKind.Table;
        if (kind == GrantObjectKind.Table)
        {
            AcceptKeyword("table");
        }

        return (kind, ParseQualifiedNameList());
    }

    private SyntaxList<string> ParseGrantees() => ParseCommaList(() =>
    {
        AcceptKeyword("group");
        if (Current.Kind == SqlTokenKind.Identifier && Current.Text is "public" or "current_user" or "session_user" or "current_role")
        {
            return Advance().Text;
        }

        return ParseName();
    });
}
