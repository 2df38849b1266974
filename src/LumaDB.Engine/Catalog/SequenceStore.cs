using Apache.Arrow;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Catalog;

/// <summary>
/// Keeps sequence values in the shard as a system table, apart from the catalog: a value is written outside any
/// transaction (a nextval is never undone) and without the catalog's conflict checks.
/// </summary>
/// <remarks>
/// Table <see cref="SequenceTableId"/> has key (id) and the columns <c>last_value</c> and <c>is_called</c>, as
/// PostgreSQL's sequence relations do. A row with <c>is_called</c> set says every value up to <c>last_value</c>
/// may have been handed out; a sequence without a row has handed out nothing.
/// </remarks>
internal static class SequenceStore
{
    /// <summary>The sequence-value table's id (a system id, below <see cref="CatalogStore.FirstUserId"/>).</summary>
    public const ulong SequenceTableId = 2;

    /// <summary>Layout of the sequence-value table.</summary>
    public static TableLayout Layout { get; } = new(
        SequenceTableId,
        [
            new TableColumn("id", SegmentColumnKind.UInt64, IsNullable: false),
            new TableColumn("last_value", SegmentColumnKind.Int64, IsNullable: false),
            new TableColumn("is_called", SegmentColumnKind.Boolean, IsNullable: false),
        ],
        [0]);

    /// <summary>Reads every stored value at <paramref name="seq"/>, by sequence id.</summary>
    public static async Task<Dictionary<ulong, (long Last, bool IsCalled)>> LoadAsync(Shard shard, ulong seq, CancellationToken cancellationToken)
    {
        var values = new Dictionary<ulong, (long, bool)>();
        await foreach (var batch in shard.ScanAsync(Layout, null, seq, cancellationToken).ConfigureAwait(false))
        {
            var ids = (UInt64Array)batch.Column(0);
            var lasts = (Int64Array)batch.Column(1);
            var called = (BooleanArray)batch.Column(2);
            for (var i = 0; i < batch.Length; i++)
            {
                values[ids.Values[i]] = (lasts.Values[i], called.GetValue(i) == true);
            }
        }

        return values;
    }

    /// <summary>A batch storing one sequence's value.</summary>
    public static WriteBatch Write(ulong id, long last, bool isCalled)
    {
        var batch = new WriteBatch();
        batch.Put(Layout, Row(id, last, isCalled));
        return batch;
    }

    /// <summary>The stored row of one sequence's value.</summary>
    public static byte[] Row(ulong id, long last, bool isCalled) => new RowBuilder(Layout).SetUInt64(0, id).SetInt64(1, last).SetBoolean(2, isCalled).ToArray();
}
