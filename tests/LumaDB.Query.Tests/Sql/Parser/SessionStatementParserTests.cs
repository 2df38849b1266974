using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using static LumaDB.Query.Tests.Sql.Parser.Ast;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class SessionStatementParserTests
{
    private static T Parse<T>(string sql) where T : Statement => Assert.IsType<T>(SqlParser.ParseStatement(sql));

    [Theory]
    [InlineData("BEGIN", TransactionCommand.Begin)]
    [InlineData("BEGIN WORK", TransactionCommand.Begin)]
    [InlineData("START TRANSACTION", TransactionCommand.Begin)]
    [InlineData("COMMIT", TransactionCommand.Commit)]
    [InlineData("END", TransactionCommand.Commit)]
    [InlineData("ROLLBACK", TransactionCommand.Rollback)]
    [InlineData("ABORT", TransactionCommand.Rollback)]
    [InlineData("SAVEPOINT s", TransactionCommand.Savepoint)]
    [InlineData("RELEASE SAVEPOINT s", TransactionCommand.Release)]
    [InlineData("RELEASE s", TransactionCommand.Release)]
    [InlineData("ROLLBACK TO SAVEPOINT s", TransactionCommand.RollbackToSavepoint)]
    [InlineData("ROLLBACK TO s", TransactionCommand.RollbackToSavepoint)]
    public void Transaction_control_statements_parse(string sql, TransactionCommand command)
    {
        Assert.Equal(command, Parse<TransactionStatement>(sql).Kind);
    }

    [Fact]
    public void Begin_takes_transaction_modes()
    {
        var modes = Parse<TransactionStatement>("START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY, NOT DEFERRABLE").Modes!;
        Assert.Equal(new TransactionModes(IsolationLevel.RepeatableRead, true, false), modes);
    }

    [Fact]
    public void Set_accepts_equals_or_to_scopes_and_lists()
    {
        Assert.Equal(new SetStatement(SetScope.Session, "search_path", [Str("public"), Str("s")]), Parse<SetStatement>("SET search_path = public, s"));
        Assert.Equal(new SetStatement(SetScope.Local, "work_mem", [Str("64MB")]), Parse<SetStatement>("SET LOCAL work_mem TO '64MB'"));
        Assert.Equal(new SetStatement(SetScope.Session, "statement_timeout", [Int(5000)]), Parse<SetStatement>("SET SESSION statement_timeout = 5000"));
        Assert.True(Parse<SetStatement>("SET x TO DEFAULT").IsDefault);
    }

    [Fact]
    public void Set_time_zone_sets_the_timezone_parameter()
    {
        Assert.Equal(new SetStatement(SetScope.Session, "timezone", [Str("UTC")]), Parse<SetStatement>("SET TIME ZONE 'UTC'"));
        Assert.True(Parse<SetStatement>("SET TIME ZONE LOCAL").IsDefault);
    }

    [Fact]
    public void Set_role_names_schema_and_session_authorization_map_to_their_parameters()
    {
        Assert.Equal(new SetStatement(SetScope.Session, "role", [Str("admin")]), Parse<SetStatement>("SET ROLE admin"));
        Assert.Equal(new SetStatement(SetScope.Session, "client_encoding", [Str("UTF8")]), Parse<SetStatement>("SET NAMES 'UTF8'"));
        Assert.Equal(new SetStatement(SetScope.Session, "search_path", [Str("s")]), Parse<SetStatement>("SET SCHEMA 's'"));
        Assert.Equal(new SetStatement(SetScope.Session, "session_authorization", [Str("bob")]), Parse<SetStatement>("SET SESSION AUTHORIZATION bob"));
    }

    [Fact]
    public void Reset_and_show_parse()
    {
        Assert.Equal(new ResetStatement(null), Parse<ResetStatement>("RESET ALL"));
        Assert.Equal(new ResetStatement("search_path"), Parse<ResetStatement>("RESET search_path"));
        Assert.Equal(new ShowStatement("timezone"), Parse<ShowStatement>("SHOW TIME ZONE"));
        Assert.Equal(new ShowStatement("all"), Parse<ShowStatement>("SHOW ALL"));
        Assert.Equal(new ShowStatement("transaction_isolation"), Parse<ShowStatement>("SHOW TRANSACTION ISOLATION LEVEL"));
    }

    [Fact]
    public void Explain_takes_bare_or_parenthesized_options()
    {
        var bare = Parse<ExplainStatement>("EXPLAIN ANALYZE VERBOSE SELECT 1");
        Assert.Equal([new SqlOption("analyze", null), new SqlOption("verbose", null)], bare.Options);
        var parenthesized = Parse<ExplainStatement>("EXPLAIN (ANALYZE, FORMAT json) SELECT 1");
        Assert.Equal([new SqlOption("analyze", null), new SqlOption("format", Str("json"))], parenthesized.Options);
        Assert.IsType<SelectStatement>(parenthesized.Statement);
        Assert.Empty(Parse<ExplainStatement>("EXPLAIN (SELECT 1)").Options);
    }

    [Fact]
    public void Create_role_reads_login_password_and_flags()
    {
        var role = Parse<CreateRoleStatement>("CREATE ROLE admin WITH LOGIN PASSWORD 'secret' SUPERUSER CONNECTION LIMIT 3");
        Assert.Equal(RoleKeyword.Role, role.Keyword);
        Assert.Equal(
            [new SqlOption("login", null), new SqlOption("password", Str("secret")), new SqlOption("superuser", null), new SqlOption("connection limit", Int(3))],
            role.Options);
        Assert.Equal(RoleKeyword.User, Parse<CreateRoleStatement>("CREATE USER bob").Keyword);
    }

    [Fact]
    public void Alter_role_changes_options_or_renames()
    {
        Assert.Equal([new SqlOption("nologin", null)], Parse<AlterRoleStatement>("ALTER ROLE bob NOLOGIN").Options);
        Assert.Equal("robert", Parse<AlterRoleStatement>("ALTER USER bob RENAME TO robert").RenameTo);
    }

    [Fact]
    public void Grant_and_revoke_parse_privileges_objects_and_grantees()
    {
        var grant = Parse<GrantStatement>("GRANT SELECT, INSERT ON TABLE t TO bob, PUBLIC WITH GRANT OPTION");
        Assert.Equal(["select", "insert"], grant.Privileges);
        Assert.Equal(["bob", "public"], grant.Grantees);
        Assert.True(grant.WithGrantOption);
        Assert.Equal(GrantObjectKind.AllTablesInSchema, Parse<GrantStatement>("GRANT ALL ON ALL TABLES IN SCHEMA s TO r").ObjectKind);
        Assert.Empty(Parse<GrantStatement>("GRANT admin TO bob").Objects);
        var revoke = Parse<RevokeStatement>("REVOKE UPDATE ON t FROM bob CASCADE");
        Assert.Equal(DropBehavior.Cascade, revoke.Behavior);
    }

    [Fact]
    public void Prepare_execute_and_deallocate_parse()
    {
        var prepare = Parse<PrepareStatement>("PREPARE q (int, text) AS SELECT $1, $2");
        Assert.Equal([Type("int4"), Type("text")], prepare.ParameterTypes);
        Assert.Equal(new ExecuteStatement("q", [Int(1), Str("x")]), Parse<ExecuteStatement>("EXECUTE q (1, 'x')"));
        Assert.Equal(new DeallocateStatement(null), Parse<DeallocateStatement>("DEALLOCATE ALL"));
        Assert.Equal(new DeallocateStatement("q"), Parse<DeallocateStatement>("DEALLOCATE PREPARE q"));
    }

    [Fact]
    public void Discard_all_parses()
    {
        Assert.Equal(DiscardTarget.All, Parse<DiscardStatement>("DISCARD ALL").Target);
    }
}
