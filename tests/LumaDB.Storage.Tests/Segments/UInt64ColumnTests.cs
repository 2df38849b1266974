using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

public sealed class UInt64ColumnTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Schema Schema = new([new Field("hash", UInt64Type.Default, false), new Field("n", Int32Type.Default, false)], null);

    /// <summary>Ten row groups of ten rows; the last five groups hold values above long.MaxValue.</summary>
    private static ulong Value(int row) => row < 50 ? (ulong)row * 1000 : ulong.MaxValue - (ulong)(99 - row) * 1000;

    private async Task<SegmentReader> WriteAsync()
    {
        var hashes = new UInt64Array.Builder();
        var numbers = new Int32Array.Builder();
        for (var row = 0; row < 100; row++)
        {
            hashes.Append(Value(row));
            numbers.Append(row);
        }

        var writer = new SegmentWriter(_dir.Path, new SegmentWriterOptions { RowGroupSize = 10 });
        var descriptor = await writer.WriteAsync(SegmentSchema.FromArrow(Schema, ["hash"], null), [new RecordBatch(Schema, [hashes.Build(), numbers.Build()], 100)]);
        return await SegmentReader.OpenAsync(Path.Combine(_dir.Path, descriptor.FileName));
    }

    private static List<int> Numbers(IEnumerable<RecordBatch> batches) =>
        batches.SelectMany(b => ((Int32Array)b.Column("n")).Values.ToArray()).ToList();

    [Fact]
    public async Task Values_above_long_max_round_trip_and_sort_after_small_ones()
    {
        await using var reader = await WriteAsync();

        var batches = await Rows.ReadAllAsync(reader);

        var hashes = batches.SelectMany(b => ((UInt64Array)b.Column("hash")).Values.ToArray()).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(Value), hashes);
        Assert.True(reader.RowGroups[4].MaxKey.SequenceCompareTo(reader.RowGroups[5].MinKey) < 0);
    }

    [Fact]
    public async Task A_predicate_on_a_uint64_column_prunes_in_unsigned_order()
    {
        await using var reader = await WriteAsync();

        var below = Numbers(await Rows.ReadAllAsync(reader, new SegmentScan { Predicates = [ColumnPredicate.Compare("hash", CompareOp.Less, 25_000L)] }));
        Assert.Equal(Enumerable.Range(0, 25), below);
        Assert.Equal(3, reader.RowGroupsRead);

        var aboveAnyNegative = Numbers(await Rows.ReadAllAsync(reader, new SegmentScan { Predicates = [ColumnPredicate.Compare("hash", CompareOp.Greater, -1L)] }));
        Assert.Equal(100, aboveAnyNegative.Count);

        var huge = Numbers(await Rows.ReadAllAsync(reader, new SegmentScan { Predicates = [ColumnPredicate.Compare("hash", CompareOp.GreaterOrEqual, 1e19)] }));
        Assert.Equal(Enumerable.Range(50, 50), huge);
    }
}
