namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>pgvector operators and functions on vector columns.</summary>
public sealed class SqlVectorTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE items (id int PRIMARY KEY, embedding vector(3))");
        await _db.RunAsync("INSERT INTO items VALUES (1, '[1,2,3]'), (2, '[4,5,6]'), (3, '[1,1,1]'), (4, NULL), (5, '[0,0,0]')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Order_by_l2_distance_with_limit_gives_the_nearest_rows() =>
        Assert.Equal(["1|0", "3|2.23606797749979"], await _db.LinesAsync("SELECT id, embedding <-> '[1,2,3]' FROM items ORDER BY embedding <-> '[1,2,3]' LIMIT 2"));

    [Fact]
    public async Task Distance_operators_match_pgvector()
    {
        Assert.Equal(
            "5.196152422706632|0.025368153802923787|-32|32",
            (await _db.LinesAsync("SELECT embedding <-> '[4,5,6]', embedding <=> '[4,5,6]', embedding <#> '[4,5,6]', inner_product(embedding, '[4,5,6]') FROM items WHERE id = 1")).Single());
        Assert.Equal(
            "5.196152422706632|0.025368153802923787|3|3.7416573867739413",
            (await _db.LinesAsync("SELECT l2_distance(embedding, '[4,5,6]'), cosine_distance(embedding, '[4,5,6]'), vector_dims(embedding), vector_norm(embedding) FROM items WHERE id = 1")).Single());
    }

    [Fact]
    public async Task Cosine_distance_of_a_zero_vector_is_nan() =>
        Assert.Equal(["NaN"], await _db.LinesAsync("SELECT embedding <=> '[1,1,1]' FROM items WHERE id = 5"));

    [Fact]
    public async Task Addition_and_subtraction_are_elementwise() =>
        Assert.Equal(["[5,7,9]|[-3,-3,-3]"], await _db.LinesAsync("SELECT embedding + '[4,5,6]', embedding - '[4,5,6]'::vector FROM items WHERE id = 1"));

    [Fact]
    public async Task Null_vectors_give_null() =>
        Assert.Equal(["NULL|NULL|NULL"], await _db.LinesAsync("SELECT embedding <-> '[1,2,3]', vector_dims(embedding), embedding + '[1,1,1]' FROM items WHERE id = 4"));

    [Fact]
    public async Task Dimension_mismatch_is_an_error()
    {
        var e = await _db.ErrorAsync("SELECT embedding <-> '[1,2]' FROM items WHERE id = 1");
        Assert.Equal(("22000", "different vector dimensions 3 and 2"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT '[1,2]'::vector + '[1,2,3]'::vector");
        Assert.Equal(("22000", "different vector dimensions 2 and 3"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("INSERT INTO items VALUES (9, '[1,2]')");
        Assert.Equal(("22000", "expected 3 dimensions, not 2"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task Vector_operators_on_other_types_are_undefined()
    {
        var e = await _db.ErrorAsync("SELECT 1 <-> 2");
        Assert.Equal(("42883", "operator does not exist: integer <-> integer"), (e.SqlState, e.Message));
        e = await _db.ErrorAsync("SELECT vector_dims(1)");
        Assert.Equal("42883", e.SqlState);
    }
}
