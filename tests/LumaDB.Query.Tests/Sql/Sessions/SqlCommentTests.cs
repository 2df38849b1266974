using LumaDB.Query.Sql.Catalog;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>COMMENT ON TABLE and COLUMN, read back as PostgreSQL 15 reads them (pg_description, obj_description, col_description).</summary>
public sealed class SqlCommentTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);
        await _db.RunAsync("CREATE TABLE people (id int PRIMARY KEY, email text, name text)");
        await _db.RunAsync("COMMENT ON TABLE public.people IS 'People who buy'");
        await _db.RunAsync("COMMENT ON COLUMN people.email IS 'Login address'");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Comments_read_back_through_the_catalog_functions_and_pg_description()
    {
        Assert.Equal(
            ["People who buy|Login address|NULL"],
            await _db.LinesAsync("SELECT obj_description('people'::regclass, 'pg_class'), col_description('people'::regclass, 2), col_description('people'::regclass, 3)"));
        Assert.Equal(
            ["0|People who buy", "2|Login address"],
            await _db.LinesAsync("SELECT objsubid, description FROM pg_description WHERE objoid = 'people'::regclass AND classoid = 'pg_class'::regclass ORDER BY 1"));
    }

    [Fact]
    public async Task Is_null_removes_a_comment_and_column_comments_follow_renames_and_drops()
    {
        await _db.RunAsync("COMMENT ON TABLE people IS NULL");
        await _db.RunAsync("ALTER TABLE people RENAME COLUMN email TO mail");
        Assert.Equal(["NULL|Login address"], await _db.LinesAsync("SELECT obj_description('people'::regclass, 'pg_class'), col_description('people'::regclass, 2)"));

        await _db.RunAsync("ALTER TABLE people DROP COLUMN mail");
        await _db.RunAsync("ALTER TABLE people ADD COLUMN mail text");
        Assert.Empty(await _db.LinesAsync("SELECT description FROM pg_description WHERE objoid = 'people'::regclass"));
    }

    [Theory]
    [InlineData("COMMENT ON COLUMN people.nosuch IS 'x'", "42703", "column \"nosuch\" of relation \"people\" does not exist")]
    [InlineData("COMMENT ON TABLE nosuch IS 'x'", "42P01", "relation \"nosuch\" does not exist")]
    public async Task Comments_on_missing_objects_are_refused(string sql, string state, string message)
    {
        var error = await _db.ErrorAsync(sql);
        Assert.Equal((state, message), (error.SqlState, error.Message));
    }
}
