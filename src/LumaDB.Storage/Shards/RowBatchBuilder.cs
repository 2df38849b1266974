using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Decodes rows in the <see cref="RowCodec"/> form into Arrow column buffers and cuts them into record batches:
/// fixed-width values are copied as they are (both sides little-endian), text and bytes appended with offsets.
/// With system columns it adds the table id, commit seq and tombstone flag a segment stores.
/// </summary>
internal sealed class RowBatchBuilder
{
    private const int MaxStackColumns = 64;
    private readonly TableLayout _layout;
    private readonly bool _withSystemColumns;
    private readonly ColumnBuffer[] _columns;
    private readonly ArrayBufferWriter<byte> _seqs = new();
    private readonly List<bool> _deleted = [];

    public RowBatchBuilder(TableLayout layout, bool withSystemColumns)
    {
        _layout = layout;
        _withSystemColumns = withSystemColumns;
        _columns = layout.Columns.Select(c => new ColumnBuffer(c.Kind)).ToArray();
    }

    /// <summary>Rows appended since the last build.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one row (with its version's seq and tombstone flag when system columns are on).</summary>
    public void Append(ReadOnlySpan<byte> row, ulong seq = 0, bool deleted = false)
    {
        Span<int> starts = _columns.Length <= MaxStackColumns ? stackalloc int[_columns.Length] : new int[_columns.Length];
        _layout.Codec.Locate(row, starts);
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c].Append(row, starts[c], Count);
        }

        if (_withSystemColumns)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_seqs.GetSpan(8), seq);
            _seqs.Advance(8);
            _deleted.Add(deleted);
        }

        Count++;
    }

    /// <summary>Builds a batch of the appended rows and starts over.</summary>
    public RecordBatch Build()
    {
        var arrays = new List<IArrowArray>(_columns.Length + 3);
        for (var c = 0; c < _columns.Length; c++)
        {
            arrays.Add(_columns[c].Build(TableLayout.ArrowTypeOf(_layout.Columns[c].Kind), Count));
        }

        Schema schema;
        if (_withSystemColumns)
        {
            var tableIds = new byte[Count * 8];
            MemoryMarshal.Cast<byte, ulong>(tableIds.AsSpan()).Fill(_layout.TableId);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Segments are built on little-endian hosts only.");
            }

            arrays.Add(new UInt64Array(new ArrowBuffer(tableIds), ArrowBuffer.Empty, Count, 0, 0));
            arrays.Add(new UInt64Array(new ArrowBuffer(_seqs.WrittenSpan.ToArray()), ArrowBuffer.Empty, Count, 0, 0));
            var bits = new byte[BitUtility.ByteCount(Count)];
            for (var i = 0; i < Count; i++)
            {
                if (_deleted[i])
                {
                    BitUtility.SetBit(bits, i);
                }
            }

            arrays.Add(new BooleanArray(new ArrowBuffer(bits), ArrowBuffer.Empty, Count, 0, 0));
            schema = _layout.SegmentSchema.ArrowSchema;
        }
        else
        {
            schema = _layout.ArrowSchema;
        }

        var batch = new RecordBatch(schema, arrays, Count);
        Count = 0;
        _seqs.ResetWrittenCount();
        _deleted.Clear();
        return batch;
    }

    /// <summary>One column's Arrow buffers under construction.</summary>
    private sealed class ColumnBuffer(SegmentColumnKind kind)
    {
        private readonly int _width = RowCodec.FixedWidth(kind);
        private readonly bool _isBoolean = kind == SegmentColumnKind.Boolean;
        private readonly ArrayBufferWriter<byte> _values = new();
        private readonly ArrayBufferWriter<int> _offsets = new();
        private byte[] _validity = [];
        private byte[] _booleans = [];
        private int _nullCount;

        public void Append(ReadOnlySpan<byte> row, int start, int index)
        {
            var present = start >= 0;
            if (!present)
            {
                _nullCount++;
            }

            SetBit(ref _validity, index, present);
            if (_isBoolean)
            {
                SetBit(ref _booleans, index, present && row[start] != 0);
                return;
            }

            if (_width != 0)
            {
                var span = _values.GetSpan(_width)[.._width];
                if (present)
                {
                    row.Slice(start, _width).CopyTo(span);
                }
                else
                {
                    span.Clear();
                }

                _values.Advance(_width);
                return;
            }

            if (_offsets.WrittenCount == 0)
            {
                _offsets.Write([0]);
            }

            if (present)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(row[start..]);
                _values.Write(row.Slice(start + 4, length));
            }

            _offsets.Write([_values.WrittenCount]);
        }

        public IArrowArray Build(Apache.Arrow.Types.IArrowType type, int count)
        {
            var validity = _nullCount == 0 ? ArrowBuffer.Empty : new ArrowBuffer(_validity.AsSpan(0, BitUtility.ByteCount(count)).ToArray());
            ArrayData data;
            if (_isBoolean)
            {
                data = new ArrayData(type, count, _nullCount, 0, [validity, new ArrowBuffer(_booleans.AsSpan(0, BitUtility.ByteCount(count)).ToArray())]);
            }
            else if (_width != 0)
            {
                data = new ArrayData(type, count, _nullCount, 0, [validity, new ArrowBuffer(_values.WrittenSpan.ToArray())]);
            }
            else
            {
                if (_offsets.WrittenCount == 0)
                {
                    _offsets.Write([0]);
                }

                var offsets = MemoryMarshal.AsBytes(_offsets.WrittenSpan).ToArray();
                data = new ArrayData(type, count, _nullCount, 0, [validity, new ArrowBuffer(offsets), new ArrowBuffer(_values.WrittenSpan.ToArray())]);
            }

            _values.ResetWrittenCount();
            _offsets.ResetWrittenCount();
            System.Array.Clear(_validity);
            System.Array.Clear(_booleans);
            _nullCount = 0;
            return ArrowArrayFactory.BuildArray(data);
        }

        private static void SetBit(ref byte[] bits, int index, bool value)
        {
            if ((index >> 3) >= bits.Length)
            {
                System.Array.Resize(ref bits, Math.Max(16, bits.Length * 2));
            }

            if (value)
            {
                bits[index >> 3] |= (byte)(1 << (index & 7));
            }
        }
    }
}
