using System.Buffers.Binary;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// Decodes rows in the <see cref="RowCodec"/> form into Arrow column buffers and cuts them into record batches of
/// the table's columns (or a projection of them): fixed-width values are copied as they are (both sides
/// little-endian), text and bytes appended with offsets. Column buffers are pooled arrays; each batch gets copies
/// of them, which it owns.
/// </summary>
internal sealed class RowBatchBuilder : IDisposable
{
    private const int MaxStackColumns = 64;
    private readonly TableLayout _layout;
    private readonly ColumnBuffer[] _columns;

    // The table column each built column takes its values from.
    private readonly int[] _sources;
    private readonly Schema _schema;

    /// <summary>
    /// A builder of batches of <paramref name="projection"/> (table column indices, in the batch's order), or of
    /// every column of the table without one. Only the projected columns are copied: a scan that wants two columns
    /// of a wide table pays for two.
    /// </summary>
    public RowBatchBuilder(TableLayout layout, int[]? projection = null)
    {
        _layout = layout;
        _sources = projection ?? Enumerable.Range(0, layout.Columns.Count).ToArray();
        _columns = _sources.Select(c => new ColumnBuffer(layout.Columns[c].Kind)).ToArray();
        _schema = projection is null
            ? layout.ArrowSchema
            : new Schema(projection.Select(c => layout.ArrowSchema.FieldsList[c]), metadata: null);
    }

    /// <summary>Rows appended since the last build.</summary>
    public int Count { get; private set; }

    /// <summary>Appends one row.</summary>
    public void Append(ReadOnlySpan<byte> row)
    {
        var width = _layout.Columns.Count;
        Span<int> starts = width <= MaxStackColumns ? stackalloc int[width] : new int[width];
        _layout.Codec.Locate(row, starts);
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c].Append(row, starts[_sources[c]], Count);
        }

        Count++;
    }

    /// <summary>
    /// Appends row <paramref name="row"/> of decoded columns (views of this table's columns, in table order),
    /// copying each value from its Arrow buffers: what <see cref="Append"/> does for the row encoded, without
    /// encoding it.
    /// </summary>
    public void AppendFromArrow(ReadOnlySpan<ArrowColumnView> columns, int row)
    {
        for (var c = 0; c < _columns.Length; c++)
        {
            _columns[c].AppendFromArrow(columns[_sources[c]], row, Count);
        }

        Count++;
    }

    /// <summary>Builds a batch of the appended rows and starts over.</summary>
    public RecordBatch Build()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Batches are built on little-endian hosts only.");
        }

        var arrays = new List<IArrowArray>(_columns.Length);
        for (var c = 0; c < _columns.Length; c++)
        {
            arrays.Add(_columns[c].Build(TableLayout.ArrowTypeOf(_layout.Columns[_sources[c]].Kind), Count));
        }

        var batch = new RecordBatch(_schema, arrays, Count);
        Count = 0;
        return batch;
    }

    /// <summary>Hands the column buffers back to the pool.</summary>
    public void Dispose()
    {
        foreach (var column in _columns)
        {
            column.Dispose();
        }
    }

    /// <summary>A copy of the buffer's bytes that a batch owns.</summary>
    private static ArrowBuffer Copy(PooledBuffer<byte> buffer) => new(buffer.WrittenSpan.ToArray());

    /// <summary>Sets bit <paramref name="index"/> of a bitmap filled in row order (a new byte starts cleared).</summary>
    private static void SetBit(PooledBuffer<byte> bits, int index, bool value)
    {
        if ((index & 7) == 0)
        {
            bits.Add(0);
        }

        if (value)
        {
            bits.At(index >> 3) |= (byte)(1 << (index & 7));
        }
    }

    /// <summary>One column's Arrow buffers under construction.</summary>
    private sealed class ColumnBuffer(SegmentColumnKind kind) : IDisposable
    {
        private readonly SegmentColumnKind _kind = kind;
        private readonly int _width = RowCodec.FixedWidth(kind);
        private readonly bool _isBoolean = kind == SegmentColumnKind.Boolean;
        private readonly PooledBuffer<byte> _values = new();
        private readonly PooledBuffer<byte> _offsets = new();
        private readonly PooledBuffer<byte> _validity = new();
        private int _nullCount;

        // Validity bits are kept only from a batch's first null on (most columns of most batches have none).
        private bool _tracksValidity;

        public void Append(ReadOnlySpan<byte> row, int start, int index)
        {
            if (start < 0)
            {
                AppendNull(index);
            }
            else
            {
                AppendPresent(index, RowCodec.ValueAt(row, start, _width));
            }
        }

        public void AppendFromArrow(in ArrowColumnView column, int row, int index)
        {
            if (!column.IsValid(row))
            {
                AppendNull(index);
            }
            else
            {
                AppendPresent(index, column.RowFormValue(row, _kind, _width));
            }
        }

        public IArrowArray Build(Apache.Arrow.Types.IArrowType type, int count)
        {
            var validity = _nullCount == 0 ? ArrowBuffer.Empty : Copy(_validity);
            ArrayData data;
            if (_isBoolean || _width != 0)
            {
                data = new ArrayData(type, count, _nullCount, 0, [validity, Copy(_values)]);
            }
            else
            {
                StartOffsets();
                data = new ArrayData(type, count, _nullCount, 0, [validity, Copy(_offsets), Copy(_values)]);
            }

            _values.Reset();
            _offsets.Reset();
            _validity.Reset();
            _nullCount = 0;
            _tracksValidity = false;
            return ArrowArrayFactory.BuildArray(data);
        }

        public void Dispose()
        {
            _values.Dispose();
            _offsets.Dispose();
            _validity.Dispose();
        }

        private void AppendNull(int index)
        {
            if (!_tracksValidity)
            {
                // Every row before this one is present: whole bytes of ones, then the bits of a partial byte.
                _tracksValidity = true;
                var full = index >> 3;
                _validity.GetSpan(full + 1)[..full].Fill(0xFF);
                _validity.Advance(full);
                if ((index & 7) != 0)
                {
                    _validity.Add((byte)((1 << (index & 7)) - 1));
                }
            }

            _nullCount++;
            SetBit(_validity, index, false);
            if (_isBoolean)
            {
                SetBit(_values, index, false);
            }
            else if (_width != 0)
            {
                _values.GetSpan(_width)[.._width].Clear();
                _values.Advance(_width);
            }
            else
            {
                StartOffsets();
                WriteOffset(_values.Count);
            }
        }

        private void AppendBoolean(int index, bool value)
        {
            if (_tracksValidity)
            {
                SetBit(_validity, index, true);
            }

            SetBit(_values, index, value);
        }

        /// <summary>Appends a present value as the row form stores it (a boolean as one byte).</summary>
        private void AppendPresent(int index, ReadOnlySpan<byte> value)
        {
            if (_isBoolean)
            {
                AppendBoolean(index, value[0] != 0);
            }
            else
            {
                AppendValue(index, value);
            }
        }

        /// <summary>Appends a present fixed-width value (exactly the column's width) or text/bytes value.</summary>
        private void AppendValue(int index, ReadOnlySpan<byte> value)
        {
            if (_tracksValidity)
            {
                SetBit(_validity, index, true);
            }

            if (_width == 0)
            {
                StartOffsets();
            }

            _values.Write(value);
            if (_width == 0)
            {
                WriteOffset(_values.Count);
            }
        }

        private void StartOffsets()
        {
            if (_offsets.Count == 0)
            {
                WriteOffset(0);
            }
        }

        private void WriteOffset(int offset)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_offsets.GetSpan(4), offset);
            _offsets.Advance(4);
        }
    }
}
