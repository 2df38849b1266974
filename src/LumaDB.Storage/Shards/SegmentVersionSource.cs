using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// The versions a segment holds in a key range at or below a snapshot, streamed one row group at a time (row
/// groups outside the key range are never decoded).
/// </summary>
internal sealed class SegmentVersionSource : VersionSource
{
    private readonly SegmentReader _reader;
    private readonly TableLayout _table;
    private readonly ulong _snapshot;
    private readonly IAsyncEnumerator<RecordBatch> _batches;
    private readonly RowBuilder _builder;
    private readonly ArrayBufferWriter<byte> _row = new(256);
    private readonly ArrayBufferWriter<byte> _key = new(64);
    private RecordBatch? _batch;
    private UInt64Array? _seqs;
    private BooleanArray? _deleted;
    private int _index = -1;
    private ulong _seq;
    private bool _isTombstone;

    public SegmentVersionSource(SegmentReader reader, TableLayout table, KeyRange keys, ulong snapshot, CancellationToken cancellationToken)
    {
        _reader = reader;
        _table = table;
        _snapshot = snapshot;
        _builder = new RowBuilder(table);
        _batches = reader.ScanAsync(new SegmentScan { Keys = keys }, cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    public override ReadOnlySpan<byte> Key => _key.WrittenSpan;

    public override ulong Seq => _seq;

    public override bool IsTombstone => _isTombstone;

    public override ReadOnlySpan<byte> Row => _row.WrittenSpan;

    public override async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        var columns = _table.Columns.Count;
        while (true)
        {
            if (_batch is null || ++_index >= _batch.Length)
            {
                if (!await _batches.MoveNextAsync().ConfigureAwait(false))
                {
                    _batch = null;
                    return false;
                }

                _batch = _batches.Current;
                _seqs = (UInt64Array)_batch.Column(columns + 1);
                _deleted = (BooleanArray)_batch.Column(columns + 2);
                _index = -1;
                continue;
            }

            var seq = _seqs!.Values[_index];
            if (seq > _snapshot)
            {
                continue;
            }

            _seq = seq;
            _isTombstone = _deleted!.GetValue(_index) == true;
            _row.ResetWrittenCount();
            _key.ResetWrittenCount();
            _table.Codec.EncodeFromArrow(_batch, _index, _builder, _row);
            _table.Codec.WriteKey(_row.WrittenSpan, _key);
            return true;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _batches.DisposeAsync().ConfigureAwait(false);
        await _reader.DisposeAsync().ConfigureAwait(false);
    }
}
