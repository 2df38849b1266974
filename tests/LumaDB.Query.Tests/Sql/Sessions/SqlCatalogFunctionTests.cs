using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>The OID alias casts and pg_catalog functions that psql's describe commands and GUI tools rely on.</summary>
public sealed class SqlCatalogFunctionTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);
        await RunAsync("CREATE SCHEMA app");
        await RunAsync("CREATE TABLE app.orders (id int PRIMARY KEY, customer varchar(20) NOT NULL, total numeric, placed timestamptz)");
        await RunAsync("CREATE UNIQUE INDEX orders_customer_idx ON app.orders (customer)");
        await RunAsync("CREATE VIEW app.big AS SELECT id FROM app.orders WHERE total > 100");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<(List<string?[]> Rows, string Tag)> RunAsync(string sql) => _db.RunAsync(sql);

    private Task<string[]> LinesAsync(string sql) => _db.LinesAsync(sql);

    [Fact]
    public async Task Regclass_cast_of_a_name_finds_the_same_oid_as_pg_class() =>
        Assert.Equal(
            ["t|t|t"],
            await LinesAsync(
                "SELECT 'app.orders'::regclass = (SELECT c.oid FROM pg_catalog.pg_class c WHERE c.relname = 'orders'), " +
                "'pg_catalog.pg_class'::regclass = (SELECT oid FROM pg_class WHERE relname = 'pg_class'), " +
                "'app.orders_pkey'::regclass = (SELECT indexrelid FROM pg_index WHERE indisprimary)"));

    [Fact]
    public async Task Quote_ident_and_quote_literal_quote_as_postgresql_does() =>
        Assert.Equal(
            ["orders|\"Mixed Case\"|\"select\"|'it''s'|E'a\\\\b'"],
            await LinesAsync("SELECT quote_ident('orders'), quote_ident('Mixed Case'), quote_ident('select'), quote_literal('it''s'), quote_literal(E'a\\\\b')"));

    [Fact]
    public async Task Regclass_cast_of_a_missing_relation_is_undefined_table()
    {
        var error = await Assert.ThrowsAsync<SqlException>(() => RunAsync("SELECT 'nosuch'::regclass"));
        Assert.Equal(SqlState.UndefinedTable, error.SqlState);
        Assert.Equal("relation \"nosuch\" does not exist", error.Message);
    }

    [Fact]
    public async Task Oid_alias_casts_of_numbers_print_names() =>
        Assert.Equal(
            ["app.orders|integer|character varying[]|pg_catalog|-"],
            await LinesAsync("SELECT ('app.orders'::regclass)::regclass::text, 23::regtype, 1015::regtype::text, 11::regnamespace, 0::regtype"));

    [Fact]
    public async Task Format_type_prints_sql_names_with_modifiers() =>
        Assert.Equal(
            ["id|integer", "customer|character varying(20)", "total|numeric", "placed|timestamp with time zone"],
            await LinesAsync(
                "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a " +
                "WHERE a.attrelid = 'app.orders'::regclass AND a.attnum > 0 ORDER BY a.attnum"));

    [Fact]
    public async Task Index_and_constraint_definitions_are_deparsed() =>
        Assert.Equal(
            [
                "orders_customer_idx|f|CREATE UNIQUE INDEX orders_customer_idx ON app.orders USING btree (customer)|NULL",
                "orders_pkey|t|CREATE UNIQUE INDEX orders_pkey ON app.orders USING btree (id)|PRIMARY KEY (id)",
            ],
            await LinesAsync(
                "SELECT c2.relname, i.indisprimary, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), pg_catalog.pg_get_constraintdef(con.oid, true) " +
                "FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i " +
                "LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x')) " +
                "WHERE c.oid = 'app.orders'::regclass AND c.oid = i.indrelid AND i.indexrelid = c2.oid ORDER BY c2.relname"));

    [Fact]
    public async Task View_definition_is_its_query() =>
        Assert.Contains("total > 100", (await LinesAsync("SELECT pg_get_viewdef('app.big'::regclass, true)"))[0], StringComparison.Ordinal);

    [Fact]
    public async Task Size_pretty_rounds_like_postgres() =>
        Assert.Equal(["10 bytes|10239 bytes|10 kB|20 MB|1024 GB"], await LinesAsync("SELECT pg_size_pretty(10), pg_size_pretty(10239), pg_size_pretty(10240), pg_size_pretty(20971520), pg_size_pretty(1099511627776)"));

    [Fact]
    public async Task Encoding_and_descriptions() =>
        Assert.Equal(["UTF8|NULL|t"], await LinesAsync("SELECT pg_encoding_to_char(6), obj_description('app.orders'::regclass, 'pg_class'), pg_type_is_visible(23)"));

    [Fact]
    public async Task Size_pretty_matches_postgres_at_unit_boundaries() =>
        Assert.Equal(["10239 kB|10 MB|1024 TB|-10 kB"], await LinesAsync("SELECT pg_size_pretty(10484736), pg_size_pretty(10485248), pg_size_pretty(1125899906842624), pg_size_pretty(-10240)"));
}
