using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// One ordered stream of key versions (a memtable or a segment) feeding a k-way merge. The current version's
/// key and row stay valid until the next <see cref="MoveNextAsync"/>, so a merge compares sources in place.
/// </summary>
internal abstract class VersionSource : IAsyncDisposable
{
    /// <summary>Shard key of the current version.</summary>
    public abstract ReadOnlySpan<byte> Key { get; }

    /// <summary>Commit seq of the current version.</summary>
    public abstract ulong Seq { get; }

    /// <summary>True when the current version is a tombstone.</summary>
    public abstract bool IsTombstone { get; }

    /// <summary>Row of the current version in <see cref="RowCodec"/> form (a tombstone's holds its key columns, or nothing).</summary>
    public abstract ReadOnlySpan<byte> Row { get; }

    /// <summary>Appends the current version, with its seq and tombstone flag, to a segment row group of <paramref name="table"/>.</summary>
    public virtual void AppendTo(TableLayout table, SegmentRowGroup rows) => table.Codec.AppendVersion(Row, Seq, IsTombstone, rows);

    /// <summary>Whether the current version passes a scan's time range and predicates (see <see cref="ShardRowFilter"/>).</summary>
    public virtual bool Matches(TableLayout table, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates) =>
        ShardRowFilter.Matches(table, Row, time, predicates);

    /// <summary>Appends the current version's columns to a scan's batch (the table's columns, or the scan's projection).</summary>
    public virtual void AppendTo(RowBatchBuilder builder) => builder.Append(Row);

    /// <summary>Advances to the next version in (key ascending, seq descending) order; false at the end.</summary>
    public abstract ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();

    /// <summary>Orders sources by current key ascending, then newest first, so a merge takes the visible version first.</summary>
    public sealed class Comparer : IComparer<VersionSource>
    {
        /// <summary>The one instance.</summary>
        public static readonly Comparer Instance = new();

        /// <inheritdoc/>
        public int Compare(VersionSource? x, VersionSource? y)
        {
            var byKey = x!.Key.SequenceCompareTo(y!.Key);
            return byKey != 0 ? byKey : y.Seq.CompareTo(x.Seq);
        }
    }
}
