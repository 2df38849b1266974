using LumaDB.Query.Sql.Catalog;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>numeric(p,s) columns and casts round to their scale and refuse values past their precision, as PostgreSQL 15's do.</summary>
public sealed class SqlNumericTypmodTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);
        await _db.RunAsync("CREATE TABLE prices (id int PRIMARY KEY, amount numeric(12,2), whole numeric(5), free numeric)");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Stored_values_are_rounded_half_away_from_zero_and_shown_with_the_scale()
    {
        await _db.RunAsync("INSERT INTO prices VALUES (1, 1.234, 12.5, 1.234), (2, -2.345, -0.5, 1), (3, 1, 7, 2)");
        await _db.RunAsync("INSERT INTO prices (id, amount) VALUES (4, '7.777')");
        Assert.Equal(
            ["1|1.23|13|1.234", "2|-2.35|-1|1", "3|1.00|7|2", "4|7.78|NULL|NULL"],
            await _db.LinesAsync("SELECT * FROM prices ORDER BY id"));

        // Arithmetic works on plain numeric; the column rounds the result it stores.
        await _db.RunAsync("UPDATE prices SET amount = amount / 3 WHERE id = 1");
        Assert.Equal(["0.41|2.46"], await _db.LinesAsync("SELECT amount, amount * 6 FROM prices WHERE id = 1"));
    }

    [Fact]
    public async Task A_value_past_the_precision_is_22003_and_nothing_is_stored()
    {
        var error = await _db.ErrorAsync("INSERT INTO prices VALUES (1, 12345678901.5, 1, 1)");
        Assert.Equal(
            ("22003", "numeric field overflow", "A field with precision 12, scale 2 must round to an absolute value less than 10^10."),
            (error.SqlState, error.Message, error.Detail));
        Assert.Equal("22003", (await _db.ErrorAsync("INSERT INTO prices VALUES (1, 1, 99999.5, 1)")).SqlState);
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM prices"));
    }

    [Fact]
    public async Task Casts_round_and_the_declared_type_shows_in_the_catalog()
    {
        Assert.Equal(["1.01|123.5|5.00|12.3"], await _db.LinesAsync("SELECT 1.005::numeric(4,2), CAST(123.456 AS numeric(6,1)), 5::numeric(3,2), 12.3::numeric(3,1)::text"));
        Assert.Equal("22003", (await _db.ErrorAsync("SELECT 100::numeric(3,1)")).SqlState);
        Assert.Equal("22023", (await _db.ErrorAsync("SELECT 1::numeric(1001)")).SqlState);
        Assert.Equal(
            ["id|integer", "amount|numeric(12,2)", "whole|numeric(5,0)", "free|numeric"],
            await _db.LinesAsync("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'prices'::regclass AND attnum > 0 ORDER BY attnum"));
    }

    [Fact]
    public void A_cast_is_named_for_its_type_unless_its_operand_has_a_name_of_its_own()
    {
        var prepared = _db.Session.Prepare("SELECT 1::int::text, (id + 1)::text, id::text, amount::numeric(5,1), CASE WHEN true THEN 1 END::text FROM prices");
        Assert.Equal(["text", "text", "id", "amount", "text"], prepared.Columns.Select(c => c.Name));
    }
}
