using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>
/// A top-k bound passed with a scan skips the row groups whose statistics prove every row strictly worse and
/// drops worse rows in the groups it reads; a group holding a tie, a NULL that ranks first or (descending, where
/// NaN ranks first as in PostgreSQL) a NaN is read: the footer records which float groups hold NaN. The bound may
/// tighten while the scan runs. Pushed float predicates treat NaN as PostgreSQL does too.
/// </summary>
public sealed class TopKBoundScanTests : IAsyncLifetime
{
    private static readonly Schema Schema = new(
        [new Field("id", Int64Type.Default, false), new Field("v", DoubleType.Default, true), new Field("n", Int32Type.Default, false)], null);

    private readonly TempDirectory _dir = new();
    private SegmentReader _reader = null!;

    public async Task InitializeAsync()
    {
        // Ten row groups of ten rows: v = n = id, except a NULL v at 33 and a NaN v at 55.
        var ids = new Int64Array.Builder();
        var values = new DoubleArray.Builder();
        var numbers = new Int32Array.Builder();
        for (var row = 0; row < 100; row++)
        {
            ids.Append(row);
            _ = row == 33 ? values.AppendNull() : values.Append(row == 55 ? double.NaN : row);
            numbers.Append(row);
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 10 });
        var descriptor = await writer.WriteAsync(
            SegmentSchema.FromArrow(Schema, ["id"], null), [new RecordBatch(Schema, [ids.Build(), values.Build(), numbers.Build()], 100)]);
        _reader = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
    }

    public async Task DisposeAsync()
    {
        await _reader.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<List<long>> IdsAsync(TopKBound bound) =>
        (await Rows.ReadAllAsync(_reader, new SegmentScan { Bound = bound })).SelectMany(b => ((Int64Array)b.Column("id")).Values.ToArray()).ToList();

    [Fact]
    public async Task A_descending_float_bound_reads_the_NaN_group_and_the_groups_at_or_above_it_only()
    {
        var bound = new TopKBound("v", descending: true, nullsFirst: false);
        bound.Tighten(85.0);

        var ids = await IdsAsync(bound);

        // NaN ranks above every number, so the NaN at 55 beats the bound; the NULL at 33 ranks last here.
        Assert.Equal(3, _reader.RowGroupsRead);
        Assert.Equal(7, _reader.RowGroupsSkipped);
        Assert.Equal(new long[] { 55 }.Concat(Enumerable.Range(85, 15).Select(i => (long)i)), ids);
    }

    [Fact]
    public async Task A_descending_integer_bound_skips_groups_below_it()
    {
        var bound = new TopKBound("n", descending: true, nullsFirst: false);
        bound.Tighten(85L);

        var ids = await IdsAsync(bound);

        Assert.Equal(2, _reader.RowGroupsRead);
        Assert.Equal(8, _reader.RowGroupsSkipped);
        Assert.Equal(Enumerable.Range(85, 15).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task A_group_whose_max_ties_the_bound_is_read_for_the_tie()
    {
        var bound = new TopKBound("n", descending: true, nullsFirst: true);
        bound.Tighten(79L);

        var ids = await IdsAsync(bound);

        Assert.Equal(3, _reader.RowGroupsRead);
        Assert.Equal(Enumerable.Range(79, 21).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task Nulls_ranked_first_keep_their_group()
    {
        var bound = new TopKBound("v", descending: true, nullsFirst: true);
        bound.Tighten(85.0);

        var ids = await IdsAsync(bound);

        // The NULL's group, the NaN's group and the two groups reaching the bound.
        Assert.Equal(4, _reader.RowGroupsRead);
        Assert.Equal(new long[] { 33, 55 }.Concat(Enumerable.Range(85, 15).Select(i => (long)i)), ids);
    }

    [Fact]
    public async Task Ascending_on_a_float_column_skips_groups_above_the_bound_and_drops_NaN()
    {
        var bound = new TopKBound("v", descending: false, nullsFirst: false);
        bound.Tighten(15.0);

        var ids = await IdsAsync(bound);

        // NaN ranks last ascending, so the group holding it (range 50..59 without it) is skipped like the others.
        Assert.Equal(2, _reader.RowGroupsRead);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), ids);
    }

    private async Task<List<long>> FilteredAsync(ColumnPredicate predicate) =>
        (await Rows.ReadAllAsync(_reader, new SegmentScan { Predicates = [predicate] })).SelectMany(b => ((Int64Array)b.Column("id")).Values.ToArray()).ToList();

    [Fact]
    public async Task Greater_than_a_number_selects_the_NaN_row_and_skips_only_groups_without_NaN_below_it()
    {
        var ids = await FilteredAsync(ColumnPredicate.Compare("v", CompareOp.Greater, 90.0));

        Assert.Equal(2, _reader.RowGroupsRead);
        Assert.Equal(new long[] { 55 }.Concat(Enumerable.Range(91, 9).Select(i => (long)i)), ids);
    }

    [Fact]
    public async Task Less_than_a_number_leaves_NaN_out_and_skips_groups_above_it()
    {
        var ids = await FilteredAsync(ColumnPredicate.Compare("v", CompareOp.Less, 5.0));

        Assert.Equal(1, _reader.RowGroupsRead);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task Equal_to_NaN_selects_only_the_NaN_row()
    {
        Assert.Equal(new long[] { 55 }, await FilteredAsync(ColumnPredicate.Compare("v", CompareOp.Equal, double.NaN)));
        Assert.Equal(98, (await FilteredAsync(ColumnPredicate.Compare("v", CompareOp.Less, double.NaN))).Count);
        Assert.Empty(await FilteredAsync(ColumnPredicate.Compare("v", CompareOp.Greater, double.NaN)));
    }

    [Fact]
    public async Task Ascending_on_an_integer_column_skips_groups_above_the_bound()
    {
        var bound = new TopKBound("n", descending: false, nullsFirst: false);
        bound.Tighten(15L);

        var ids = await IdsAsync(bound);

        Assert.Equal(2, _reader.RowGroupsRead);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task A_bound_tightened_during_the_scan_skips_the_groups_after_it()
    {
        var bound = new TopKBound("n", descending: true, nullsFirst: false);
        var ids = new List<long>();
        await foreach (var batch in _reader.ScanAsync(new SegmentScan { Bound = bound }))
        {
            ids.AddRange(((Int64Array)batch.Column("id")).Values.ToArray());
            bound.Tighten(95L);
        }

        Assert.Equal(2, _reader.RowGroupsRead);
        Assert.Equal(Enumerable.Range(0, 10).Concat(Enumerable.Range(95, 5)).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task An_unset_bound_prunes_nothing()
    {
        var ids = await IdsAsync(new TopKBound("v", descending: true, nullsFirst: false));

        Assert.Equal(10, _reader.RowGroupsRead);
        Assert.Equal(100, ids.Count);
    }
}
