using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

public sealed class SegmentScanTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SegmentReader _metrics = null!;
    private SegmentReader _wide = null!;

    public async Task InitializeAsync()
    {
        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 100 });
        // 10 series x 100 points: row group g holds exactly series g.
        var metrics = await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(series: 10, perSeries: 100, batchSize: 128));
        var wide = await writer.WriteAsync(Rows.WideSegmentSchema(), Rows.Wide(rows: 1000, batchSize: 100));
        _metrics = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, metrics.FileName));
        _wide = await SegmentReader.OpenAsync(Path.Combine(_dir.Path, wide.FileName));
    }

    public async Task DisposeAsync()
    {
        await _metrics.DisposeAsync();
        await _wide.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_time_range_skips_row_groups_outside_it_and_keeps_exactly_the_rows_inside()
    {
        // Wide table: row id has time epoch + id seconds, so [250 s, 420 s) overlaps row groups 2, 3 and 4 only.
        var scan = new SegmentScan { Time = new TimeRange(Rows.EpochMicros + 250_000_000, Rows.EpochMicros + 420_000_000) };

        var ids = Rows.Int64Column(await Rows.ReadAllAsync(_wide, scan), "id");

        Assert.Equal(3, _wide.RowGroupsRead);
        Assert.Equal(7, _wide.RowGroupsSkipped);
        var expected = Enumerable.Range(250, 170).Select(i => (long)i).Where(i => i % 7 != 3).ToList();
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task A_key_range_skips_row_groups_outside_it_and_keeps_exactly_the_rows_inside()
    {
        var lower = SegmentWriterTests.Key(3, Rows.EpochMicros + 50_000_000);
        var upper = SegmentWriterTests.Key(5, Rows.EpochMicros + 10_000_000);
        var scan = new SegmentScan { Keys = new KeyRange(lower, upper), Columns = ["series_id", "ts"] };

        var batches = await Rows.ReadAllAsync(_metrics, scan);

        Assert.Equal(3, _metrics.RowGroupsRead);
        Assert.Equal(7, _metrics.RowGroupsSkipped);
        var series = Rows.Int64Column(batches, "series_id");
        Assert.Equal(50 + 100 + 10, series.Count);
        Assert.Equal(50, series.Count(s => s == 3));
        Assert.Equal(10, series.Count(s => s == 5));
        var firstTime = ((TimestampArray)batches[0].Column("ts")).GetValue(0);
        Assert.Equal(Rows.EpochMicros + 50_000_000, firstTime);
    }

    [Fact]
    public async Task A_numeric_predicate_skips_row_groups_by_statistics_and_filters_rows()
    {
        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("series_id", CompareOp.GreaterOrEqual, 8L)] };

        var series = Rows.Int64Column(await Rows.ReadAllAsync(_metrics, scan), "series_id");

        Assert.Equal(2, _metrics.RowGroupsRead);
        Assert.Equal(8, _metrics.RowGroupsSkipped);
        Assert.Equal(200, series.Count);
        Assert.All(series, s => Assert.True(s >= 8));
    }

    [Theory]
    [InlineData(CompareOp.Equal, 555, 1)]
    [InlineData(CompareOp.Less, 150, 2)]
    [InlineData(CompareOp.LessOrEqual, 150, 2)]
    [InlineData(CompareOp.Greater, 899, 1)]
    [InlineData(CompareOp.GreaterOrEqual, 899, 1)] // 899 itself is a null row
    public async Task Every_comparison_prunes_row_groups_and_matches_rows_like_linq(CompareOp op, long id, int rowGroupsRead)
    {
        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("medium", op, id * 3 - 1000)] };

        var ids = Rows.Int64Column(await Rows.ReadAllAsync(_wide, scan), "id");

        Func<long, bool> holds = op switch
        {
            CompareOp.Equal => i => i == id,
            CompareOp.Less => i => i < id,
            CompareOp.LessOrEqual => i => i <= id,
            CompareOp.Greater => i => i > id,
            _ => i => i >= id,
        };
        var expected = Enumerable.Range(0, 1000).Select(i => (long)i).Where(i => i % 7 != 3 && holds(i)).ToList();
        Assert.Equal(expected, ids);
        Assert.Equal(rowGroupsRead, _wide.RowGroupsRead);
    }

    [Theory]
    [InlineData(CompareOp.Less, long.MinValue, 0)]
    [InlineData(CompareOp.Greater, long.MaxValue, 0)]
    [InlineData(CompareOp.LessOrEqual, long.MaxValue, 857)]
    [InlineData(CompareOp.GreaterOrEqual, long.MinValue, 857)]
    public async Task Comparisons_with_the_extreme_integers_keep_every_or_no_non_null_row(CompareOp op, long constant, int expected)
    {
        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("medium", op, constant)] };

        var ids = Rows.Int64Column(await Rows.ReadAllAsync(_wide, scan), "id");

        Assert.Equal(expected, ids.Count);
        Assert.All(ids, i => Assert.NotEqual(3, i % 7));
    }

    [Fact]
    public async Task A_string_predicate_compares_in_utf8_order_and_prunes()
    {
        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("name", CompareOp.Less, "name-00042")] };

        var ids = Rows.Int64Column(await Rows.ReadAllAsync(_wide, scan), "id");

        Assert.Equal(Enumerable.Range(0, 42).Select(i => (long)i).Where(i => i % 7 != 3), ids);
        Assert.Equal(1, _wide.RowGroupsRead);
        Assert.Equal(9, _wide.RowGroupsSkipped);
    }

    [Fact]
    public async Task A_timestamp_and_a_float_predicate_combine()
    {
        var scan = new SegmentScan
        {
            Predicates =
            [
                ColumnPredicate.Compare("at", CompareOp.GreaterOrEqual, Rows.Epoch.AddSeconds(600)),
                ColumnPredicate.Compare("real32", CompareOp.Less, 160.0),
            ],
        };

        var ids = Rows.Int64Column(await Rows.ReadAllAsync(_wide, scan), "id");

        Assert.Equal(Enumerable.Range(600, 40).Select(i => (long)i).Where(i => i % 7 != 3), ids);
        Assert.Equal(1, _wide.RowGroupsRead);
    }

    [Fact]
    public async Task Nulls_never_match_a_predicate()
    {
        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("small", CompareOp.GreaterOrEqual, (long)short.MinValue)] };

        var ids = Rows.Int64Column(await Rows.ReadAllAsync(_wide, scan), "id");

        Assert.Equal(1000 - 143, ids.Count);
        Assert.DoesNotContain(ids, i => i % 7 == 3);
    }

    [Fact]
    public async Task A_projection_returns_only_the_asked_columns_in_the_asked_order()
    {
        var scan = new SegmentScan { Columns = ["value", "series_id"], Predicates = [ColumnPredicate.Compare("series_id", CompareOp.Equal, 4L)] };

        var batches = await Rows.ReadAllAsync(_metrics, scan);

        var batch = Assert.Single(batches);
        Assert.Equal(["value", "series_id"], batch.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal(100, batch.Length);
        Assert.IsType<DoubleArray>(batch.Column(0));
    }

    [Fact]
    public async Task A_predicate_on_a_missing_column_or_with_a_mismatched_type_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Rows.ReadAllAsync(_wide, new SegmentScan { Predicates = [ColumnPredicate.Compare("nope", CompareOp.Equal, 1L)] }));
        await Assert.ThrowsAsync<ArgumentException>(() => Rows.ReadAllAsync(_wide, new SegmentScan { Predicates = [ColumnPredicate.Compare("name", CompareOp.Equal, 1L)] }));
    }
}
