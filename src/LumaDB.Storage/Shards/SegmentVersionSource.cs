using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// The versions a segment holds in a key range at or below a snapshot, one row group at a time (row groups
/// outside the key range are never decoded). A row group not yet decoded is <em>pending</em>: the source then
/// stands at the group's first key, a lower bound of everything it has left, so a merge can tell whether the
/// group overlaps any other source and, when it does not, take it whole as columns
/// (<see cref="ReadPendingColumnarAsync"/>) instead of row by row (<see cref="DecodePendingAsync"/>).
/// </summary>
internal sealed class SegmentVersionSource : VersionSource
{
    private readonly SegmentReader _reader;
    private readonly TableLayout _table;
    private readonly KeyRange _keys;
    private readonly ulong _snapshot;
    private readonly IReadOnlyList<RowGroupFooter> _groups;
    private readonly ScanPlan _rowPlan;
    private readonly ColumnVector?[] _vectors;
    private readonly ArrayBufferWriter<byte> _keyBuffer = new(64);
    private readonly ArrayBufferWriter<byte> _row = new(256);
    private readonly ArrayBufferWriter<byte> _key = new(64);
    private readonly ArrowColumnView[] _columns;
    private readonly CancellationToken _cancellationToken;
    private readonly bool _stopAtGroups;
    private readonly Func<SegmentReader, ValueTask>? _release;

    // Where each table column sits in a decoded batch (-1: left out), and where the seq and tombstone columns do.
    private readonly int[] _batchColumns;
    private readonly int _seqColumn;
    private readonly int _deletedColumn;
    private int _group = -1;
    private bool _pending;
    private RecordBatch? _batch;
    private UInt64Array? _seqs;
    private BooleanArray? _deleted;
    private int _index = -1;
    private ulong _seq;
    private bool _isTombstone;
    private bool _rowEncoded;

    // Per row of the decoded group, whether it passes KeyFilter (null without one).
    private bool[]? _passes;

    /// <summary>
    /// Opens the source. With <paramref name="stopAtGroups"/>, <see cref="MoveNextAsync"/> stops at each row group
    /// as pending (see <see cref="IsPending"/>); without, it only ever stands at versions. With
    /// <paramref name="columns"/> (table column indices, key columns among them), rows decode only those columns
    /// and the others read as null: a scan that needs a few columns of a wide table leaves the rest undecoded.
    /// </summary>
    public SegmentVersionSource(
        SegmentReader reader, TableLayout table, KeyRange keys, ulong snapshot, CancellationToken cancellationToken, bool stopAtGroups = false,
        Func<SegmentReader, ValueTask>? release = null, IReadOnlyCollection<int>? columns = null)
    {
        _release = release;
        _stopAtGroups = stopAtGroups;
        _reader = reader;
        _table = table;
        _keys = keys;
        _snapshot = snapshot;
        _cancellationToken = cancellationToken;
        _groups = reader.RowGroupFooters;
        _vectors = new ColumnVector?[reader.Schema.Columns.Count];
        _columns = new ArrowColumnView[table.Columns.Count];
        _batchColumns = new int[table.Columns.Count];
        string[]? read = null;
        if (columns is null || columns.Count == table.Columns.Count)
        {
            // A segment batch holds the table's columns in order, then table id, seq and tombstone flag.
            for (var c = 0; c < _batchColumns.Length; c++)
            {
                _batchColumns[c] = c;
            }

            _seqColumn = table.Columns.Count + 1;
            _deletedColumn = table.Columns.Count + 2;
        }
        else
        {
            _batchColumns.AsSpan().Fill(-1);
            var names = new List<string>(columns.Count + 2);
            foreach (var c in columns.Order())
            {
                _batchColumns[c] = names.Count;
                names.Add(table.Columns[c].Name);
            }

            _seqColumn = names.Count;
            _deletedColumn = names.Count + 1;
            names.Add(TableLayout.SeqColumnName);
            names.Add(TableLayout.DeletedColumnName);
            read = [.. names];
        }

        // Each decoded group is copied out (into a merge's output or a version's row) before the next is read.
        _rowPlan = reader.CreateBorrowingPlan(new SegmentScan { Keys = keys, Columns = read });
    }

    public override ReadOnlySpan<byte> Key => _pending ? _groups[_group].Range.MinKey : _key.WrittenSpan;

    /// <summary>A pending group sorts before any version of its first key, so it is looked at first.</summary>
    public override ulong Seq => _pending ? ulong.MaxValue : _seq;

    public override bool IsTombstone => _isTombstone;

    /// <summary>The current version in row form, encoded the first time it is asked for: merges and scans that copy
    /// versions into columns and filter them there (the <c>AppendTo</c> overloads, <see cref="Matches"/>) never need it.</summary>
    public override ReadOnlySpan<byte> Row
    {
        get
        {
            if (!_rowEncoded)
            {
                _row.ResetWrittenCount();
                var size = _table.Codec.RowSize(_columns, _index);
                _table.Codec.EncodeFromArrow(_columns, _index, _row.GetSpan(size)[..size]);
                _row.Advance(size);
                _rowEncoded = true;
            }

            return _row.WrittenSpan;
        }
    }

    /// <summary>Copies the current version straight from the decoded columns.</summary>
    public override void AppendTo(TableLayout table, SegmentRowGroup rows) => _table.Codec.AppendVersion(_columns, _index, _seq, _isTombstone, rows);

    /// <summary>
    /// Whether runs of this source's rows can be copied into row groups of <paramref name="schema"/> as column
    /// slices (<see cref="CopyRun"/>): the source reads every version of every column (no snapshot cut, no key
    /// filter, no projection) from a segment whose columns are the schema's, in order.
    /// </summary>
    public bool CanCopyRunsInto(SegmentSchema schema)
    {
        var own = _reader.Schema.Columns;
        if (_snapshot != ulong.MaxValue || KeyFilter is not null || _seqColumn != _table.Columns.Count + 1 || own.Count != schema.Columns.Count)
        {
            return false;
        }

        for (var c = 0; c < own.Count; c++)
        {
            var (mine, theirs) = (own[c], schema.Columns[c]);
            if (mine.Kind != theirs.Kind || mine.IsNullable != theirs.IsNullable || !string.Equals(mine.Name, theirs.Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Position of the current version in the decoded row group, for <see cref="CopyRun"/>.</summary>
    public int RowIndex => _index;

    /// <summary>
    /// True when the next <see cref="MoveNextAsync"/> leaves the decoded row group, whose columns the next group
    /// then overwrites: a run taken from it must be copied out first.
    /// </summary>
    public bool AtLastRowOfGroup => _batch is null || _index + 1 >= _batch.Length;

    /// <summary>
    /// Appends rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of the decoded
    /// row group, system columns included, as column slices. Only for a source <see cref="CanCopyRunsInto"/> the
    /// row group's schema, while the group is still decoded.
    /// </summary>
    public void CopyRun(int start, int count, SegmentRowGroup rows) => rows.AppendSlice(_batch!, start, count);

    /// <summary>Checks the current version straight on the decoded columns, without encoding it.</summary>
    public override bool Matches(TableLayout table, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates) =>
        ShardRowFilter.Matches(_table, _columns, _index, time, predicates);

    /// <summary>Copies the current version straight from the decoded columns into a scan's batch.</summary>
    public override void AppendTo(RowBatchBuilder builder) => builder.AppendFromArrow(_columns, _index);

    /// <summary>
    /// A filter on values every version of a key shares; rows that fail it are passed over before their key is
    /// built, and row groups wholly outside its time range are passed over as if absent (see
    /// <see cref="KeyColumnFilter"/>). The columns it reads must be among those the source decodes.
    /// </summary>
    public KeyColumnFilter? KeyFilter { get; init; }

    /// <summary>Versions <see cref="KeyFilter"/> has passed over so far.</summary>
    public long FilteredOut { get; private set; }

    /// <summary>True while the source stands at a row group not yet decoded.</summary>
    public bool IsPending => _pending;

    /// <summary>Bounds of the pending row group.</summary>
    public RowGroupRange PendingRange => _groups[_group].Range;

    /// <summary>
    /// Whether the pending group can be read whole: it lies inside the scan's key range, and its last key does not
    /// continue into the next group (versions of one key may span neighbouring groups).
    /// </summary>
    public bool PendingIsSelfContained()
    {
        var range = _groups[_group].Range;
        if (!_keys.Covers(range.MinKey, range.MaxKey))
        {
            return false;
        }

        var next = _group + 1;
        return next >= _groups.Count || range.MaxKey.AsSpan().SequenceCompareTo(_groups[next].Range.MinKey) < 0;
    }

    public override async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pending)
            {
                _pending = false;
                _batch = await _reader.ReadRowGroupAsync(_group, _rowPlan, _vectors, _keyBuffer, _cancellationToken).ConfigureAwait(false);
                if (_batch is not null)
                {
                    _seqs = (UInt64Array)_batch.Column(_seqColumn);
                    _deleted = (BooleanArray)_batch.Column(_deletedColumn);
                    for (var c = 0; c < _columns.Length; c++)
                    {
                        _columns[c] = _batchColumns[c] < 0 ? ArrowColumnView.Absent : ArrowColumnView.Of(_batch.Column(_batchColumns[c]));
                    }

                    if (KeyFilter is { } filter)
                    {
                        if (_passes is null || _passes.Length < _batch.Length)
                        {
                            _passes = new bool[_batch.Length];
                        }

                        filter.Mark(_columns, _batch.Length, _passes);
                    }
                }

                _index = -1;
            }

            if (NextRow())
            {
                return true;
            }

            if (!StepToNextGroup())
            {
                return false;
            }

            if (_stopAtGroups)
            {
                return true;
            }
        }
    }

    /// <summary>Decodes the pending group for the row-by-row merge; false when the source has nothing left.</summary>
    public ValueTask<bool> DecodePendingAsync() => MoveNextAsync(_cancellationToken);

    /// <summary>Advances within the decoded group to its next version at or below the snapshot.</summary>
    private bool NextRow()
    {
        while (_batch is not null && ++_index < _batch.Length)
        {
            var seq = _seqs!.Values[_index];
            if (seq > _snapshot)
            {
                continue;
            }

            if (_passes is { } passes && !passes[_index])
            {
                FilteredOut++;
                continue;
            }

            _seq = seq;
            _isTombstone = _deleted!.GetValue(_index) == true;
            _rowEncoded = false;
            _key.ResetWrittenCount();
            _table.Codec.WriteKeyFromArrow(_columns, _index, _key);
            return true;
        }

        _batch = null;
        return false;
    }

    /// <summary>
    /// Reads the pending group whole as columns with its visible rows only (see
    /// <see cref="SegmentReader.ReadVisibleRowsAsync"/>), then stands at the next group. The caller has checked
    /// that no other source holds versions of the group's keys and that <see cref="PendingIsSelfContained"/>.
    /// </summary>
    public async ValueTask<(RecordBatch? Batch, bool HasMore)> ReadPendingColumnarAsync(ScanPlan plan)
    {
        var columns = _table.Columns.Count;
        var batch = await _reader.ReadVisibleRowsAsync(_group, plan, columns + 1, columns + 2, _snapshot, _vectors, _cancellationToken).ConfigureAwait(false);
        _pending = false;
        return (batch, StepToNextGroup());
    }

    /// <summary>Creates the plan for <see cref="ReadPendingColumnarAsync"/> against this segment's schema.</summary>
    public ScanPlan CreateColumnarPlan(SegmentScan scan) => _reader.CreatePlan(scan);

    /// <summary>The segment's schema, to check that it matches the table's before reading it as columns.</summary>
    public SegmentSchema Schema => _reader.Schema;

    public override async ValueTask DisposeAsync()
    {
        foreach (var vector in _vectors)
        {
            vector?.Dispose();
        }

        if (_release is not null)
        {
            await _release(_reader).ConfigureAwait(false);
        }
        else
        {
            await _reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stands at the next group that overlaps the key range; false when none is left.</summary>
    private bool StepToNextGroup()
    {
        _batch = null;
        _group = NextGroup(_group);
        _pending = _group >= 0;
        return _pending;
    }

    private int NextGroup(int after)
    {
        for (var g = after + 1; g < _groups.Count; g++)
        {
            var range = _groups[g].Range;
            if (range.RowCount > 0 && _keys.Overlaps(range.MinKey, range.MaxKey)
                && (KeyFilter?.Time is not { } time || range.MayHoldTimes(time)))
            {
                return g;
            }
        }

        return -1;
    }
}
