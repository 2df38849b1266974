using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Text;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments.ParquetFormat;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Segments;

/// <summary>
/// A UTF-8 string or binary column, held like Arrow holds it: one byte buffer plus row offsets. Chunks are written
/// from those buffers (dictionary or plain) and read through Parquet.Net as byte slices, never as UTF-16.
/// </summary>
internal sealed class BytesColumnVector : ColumnVector
{
    private byte[] _data = [];
    private int[] _offsets = [];
    private int _dataLength;
    private ReadOnlyMemory<byte>[] _denseBytes = [];

    // Set when a chunk was decoded straight into _data and _offsets (present values only) rather than into _denseBytes.
    private bool _decodedInPlace;

    // Rows holding the distinct values of the last dictionary-encoded chunk (first occurrences); valid until Clear.
    private int[] _distinctRows = [];
    private int _distinctCount;
    private readonly Lock _dictionaryGate = new();
    private TextDictionary? _dictionary;
    private long _dictionaryBytes;

    public BytesColumnVector(SegmentColumn column)
        : base(column)
    {
    }

    protected override long ValueBytes => _dataLength + (4L * (Count + 1)) + Volatile.Read(ref _dictionaryBytes);

    private bool IsUtf8 => Column.Kind == SegmentColumnKind.Utf8;

    public ReadOnlySpan<byte> GetBytes(int row) => _data.AsSpan(_offsets[row], _offsets[row + 1] - _offsets[row]);

    protected override void ClearValues()
    {
        if (_offsets.Length > 0)
        {
            _offsets[0] = 0;
        }

        _dataLength = 0;
        _distinctCount = 0;
        _decodedInPlace = false;
    }

    protected override void EnsureValueCapacity(int rows)
    {
        var hadNone = _offsets.Length == 0;
        Grow(ref _offsets, rows + 1);
        if (hadNone)
        {
            _offsets[0] = 0;
        }
    }

    protected override void AppendValues(IArrowArray array, int start, int count, int at)
    {
        var binary = (BinaryArray)array;
        var offsets = binary.ValueOffsets;
        var first = offsets[start];
        var last = offsets[start + count];
        Grow(ref _data, _dataLength + (last - first));
        binary.ValueBuffer.Span[first..last].CopyTo(_data.AsSpan(_dataLength));
        _offsets[at] = _dataLength;
        for (var i = 0; i < count; i++)
        {
            _offsets[at + i + 1] = _dataLength + (offsets[start + i + 1] - first);
        }

        _dataLength += last - first;
    }

    protected override void SetValue(int at, ReadOnlySpan<byte> value)
    {
        Grow(ref _data, _dataLength + value.Length);
        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _offsets[at + 1] = _dataLength;
    }

    protected override void SetNullValue(int at) => _offsets[at + 1] = _dataLength;

    /// <summary>
    /// Dictionary-encodes the chunk when its values repeat (resource attributes, service and span names), else
    /// writes it DELTA_LENGTH_BYTE_ARRAY: all lengths delta-packed, then all bytes back to back. A sample of the
    /// first values decides, so unique columns such as ids cost little hashing. Lengths kept apart leave random
    /// ids as pure random bytes, which the writer then stores uncompressed instead of compressing for little gain.
    /// </summary>
    protected override void EncodeValues(ColumnChunkBuffer chunk, bool ordered)
    {
        _distinctCount = 0;
        var dense = Count - NullCount;
        if (dense >= DictionaryMinValues && TryEncodeDictionary(chunk, dense))
        {
            return;
        }

        var lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, dense));
        try
        {
            var n = 0;
            for (var row = 0; row < Count; row++)
            {
                if (IsValid(row))
                {
                    lengths[n++] = _offsets[row + 1] - _offsets[row];
                }
            }

            ParquetIntegerEncoding.WriteDelta(lengths.AsSpan(0, n), chunk.Page);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }

        if (NullCount == 0)
        {
            chunk.Page.Write(_data.AsSpan(_offsets[0], _offsets[Count] - _offsets[0]));
        }
        else
        {
            for (var row = 0; row < Count; row++)
            {
                if (IsValid(row))
                {
                    chunk.Page.Write(GetBytes(row));
                }
            }
        }

        chunk.ValueEncoding = ParquetEncoding.DeltaLengthByteArray;
    }

    /// <summary>One PLAIN byte-array value: its length (little-endian int32), then its bytes.</summary>
    private static void WritePlain(ReadOnlySpan<byte> value, PooledBuffer<byte> output)
    {
        var span = output.GetSpan(4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
        value.CopyTo(span[4..]);
        output.Advance(4 + value.Length);
    }

    /// <summary>Fewest values worth a dictionary.</summary>
    private const int DictionaryMinValues = 16;

    /// <summary>Values at the start of a chunk that decide: half of them distinct means no dictionary.</summary>
    private const int DictionarySample = 256;

    private bool TryEncodeDictionary(ColumnChunkBuffer chunk, int dense)
    {
        // Open addressing: a slot holds 1 + the dictionary index of a distinct value, whose first row is in firstRows.
        var maxDistinct = dense / 2;
        var tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, maxDistinct * 2));
        var slots = ArrayPool<int>.Shared.Rent(tableSize);
        var mask = tableSize - 1;
        Grow(ref _distinctRows, maxDistinct + 1);
        var firstRows = _distinctRows;
        var indexes = ArrayPool<int>.Shared.Rent(dense);
        try
        {
            slots.AsSpan(0, mask + 1).Clear();
            var distinct = 0;
            var n = 0;
            ReadOnlySpan<byte> previous = default;
            for (var row = 0; row < Count; row++)
            {
                if (!IsValid(row))
                {
                    continue;
                }

                var value = GetBytes(row);
                if (n > 0 && value.Length == previous.Length && value.SequenceEqual(previous))
                {
                    // Sorted by key, neighbours often repeat (a trace's id, its service's resource): no hashing.
                    indexes[n] = indexes[n - 1];
                    n++;
                    continue;
                }

                previous = value;
                var slot = (int)XxHash3.HashToUInt64(value) & mask;
                while (true)
                {
                    var entry = slots[slot];
                    if (entry == 0)
                    {
                        if (distinct == maxDistinct || (n < DictionarySample && distinct == DictionarySample / 2))
                        {
                            return false;
                        }

                        slots[slot] = distinct + 1;
                        firstRows[distinct] = row;
                        indexes[n] = distinct++;
                        break;
                    }

                    if (GetBytes(firstRows[entry - 1]).SequenceEqual(value))
                    {
                        indexes[n] = entry - 1;
                        break;
                    }

                    slot = (slot + 1) & mask;
                }

                n++;
            }

            foreach (var row in firstRows.AsSpan(0, distinct))
            {
                WritePlain(GetBytes(row), chunk.Dictionary);
            }

            var bitWidth = Math.Max(1, ParquetIntegerEncoding.BitWidth((uint)(distinct - 1)));
            chunk.Page.Add((byte)bitWidth);
            ParquetIntegerEncoding.WriteHybrid(indexes.AsSpan(0, n), bitWidth, chunk.Page);
            chunk.DictionaryCount = distinct;
            chunk.ValueEncoding = ParquetEncoding.RleDictionary;
            _distinctCount = distinct;
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slots);
            ArrayPool<int>.Shared.Return(indexes);
        }
    }

    protected override async ValueTask ReadDenseAsync(RowGroupColumns group, int rows, Memory<int>? levels, CancellationToken cancellationToken)
    {
        var field = Column.RawParquetField;
        var (codec, stored) = await group.ReadChunkAsync(field, cancellationToken);
        if (codec >= 0 && ByteArrayChunkDecoder.TryDecode(stored.Span, codec, rows, levels is { } l ? l.Span : default, ref _data, ref _offsets) is var dense and >= 0)
        {
            _dataLength = _offsets[dense];
            _decodedInPlace = true;
            return;
        }

        // Text is read as the UTF-8 bytes the file holds: asking Parquet.Net for characters would decode every value
        // to UTF-16 only for it to be encoded back here.
        Grow(ref _denseBytes, rows);
        await group.Parquet.ReadRawAsync(field, _denseBytes.AsMemory(0, rows), levels, null, cancellationToken);
    }

    protected override void ExpandDense(int dense)
    {
        if (_decodedInPlace)
        {
            // The values are in place already; a null row gets an empty slot where it falls.
            _decodedInPlace = false;
            var present = Valid;
            var before = dense;
            for (var row = present.Length - 1; row >= 0 && before <= row; row--)
            {
                _offsets[row + 1] = _offsets[before];
                before -= present[row] ? 1 : 0;
            }

            return;
        }

        var valid = Valid;
        var total = 0;
        for (var i = 0; i < dense; i++)
        {
            total += _denseBytes[i].Length;
        }

        Grow(ref _data, total);
        _dataLength = 0;
        var next = 0;
        _offsets[0] = 0;
        for (var row = 0; row < valid.Length; row++)
        {
            if (valid[row])
            {
                _dataLength += Copy(_denseBytes[next].Span, _data.AsSpan(_dataLength));
                next++;
            }

            _offsets[row + 1] = _dataLength;
        }

        // Drop references to the reader's buffers now that the bytes are ours.
        _denseBytes.AsSpan(0, Math.Min(_denseBytes.Length, dense)).Clear();
    }

    protected override void ReleaseValueScratch()
    {
        Release(ref _denseBytes);
    }

    protected override void MarkValueChanges(Span<bool> changed)
    {
        for (var i = 1; i < Count; i++)
        {
            if (!GetBytes(i).SequenceEqual(GetBytes(i - 1)))
            {
                changed[i] = true;
            }
        }
    }

    /// <summary>
    /// The selected rows as int32 codes into the distinct values of this vector, or null when the vector is not
    /// shared (cached, so read-only), is not UTF-8, or has too many distinct values for a dictionary to pay. The
    /// dictionary is built once per vector; every batch gathered from it shares the same dictionary array.
    /// </summary>
    public IArrowArray? ToArrowDictionary(ReadOnlySpan<int> selection)
    {
        if (!IsShared || !IsUtf8)
        {
            return null;
        }

        var dictionary = Volatile.Read(ref _dictionary);
        if (dictionary is null)
        {
            var built = false;
            lock (_dictionaryGate)
            {
                if (_dictionary is null)
                {
                    _dictionary = BuildDictionary();
                    built = true;
                }

                dictionary = _dictionary;
            }

            if (built && DictionaryBytes(dictionary) is var bytes and > 0)
            {
                Volatile.Write(ref _dictionaryBytes, bytes);
                Grown?.Invoke(bytes);
            }
        }

        if (dictionary.Values is null)
        {
            return null;
        }

        var codes = dictionary.Codes;
        ArrowBuffer indexBuffer;
        if (selection.Length == Count)
        {
            // Every row (selections are ascending and distinct): the codes array is shared, not copied.
            indexBuffer = new ArrowBuffer(new TypedArrayMemory<int>(codes).Memory);
        }
        else
        {
            var indexBytes = new byte[selection.Length * sizeof(int)];
            var indexes = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(indexBytes.AsSpan());
            for (var i = 0; i < selection.Length; i++)
            {
                indexes[i] = codes[selection[i]];
            }

            indexBuffer = new ArrowBuffer(indexBytes);
        }

        var validity = BuildValidity(selection, out var nullCount);
        var indices = new Int32Array(indexBuffer, validity, selection.Length, nullCount, 0);
        return new DictionaryArray(new Apache.Arrow.Types.DictionaryType(Apache.Arrow.Types.Int32Type.Default, Apache.Arrow.Types.StringType.Default, false), indices, dictionary.Values);
    }

    /// <summary>Codes per row and the distinct values; Values is null (and no codes are kept) when the column has too many distinct values.</summary>
    private TextDictionary BuildDictionary()
    {
        // Past this many distinct values a dictionary saves little over the plain strings. Row groups are small
        // (thousands of rows), so a column of a thousand categories still repeats each a few times per group: up to
        // half the rows distinct keeps it coded, and grouping or joining on it then maps a code, not a string, per row.
        var limit = Math.Max(256, Count / 2);
        var codes = new int[Count];
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        var alternate = lookup.GetAlternateLookup<ReadOnlySpan<char>>();
        var values = new List<string>();
        Span<char> chars = stackalloc char[256];
        for (var row = 0; row < Count; row++)
        {
            if (!IsValid(row))
            {
                continue;
            }

            var bytes = GetBytes(row);
            if (bytes.Length > chars.Length)
            {
                return new TextDictionary([], null);
            }

            var text = chars[..Encoding.UTF8.GetChars(bytes, chars)];
            if (!alternate.TryGetValue(text, out var code))
            {
                if (values.Count == limit)
                {
                    return new TextDictionary([], null);
                }

                code = values.Count;
                var value = text.ToString();
                lookup.Add(value, code);
                values.Add(value);
            }

            codes[row] = code;
        }

        var builder = new StringArray.Builder();
        foreach (var value in values)
        {
            builder.Append(value);
        }

        return new TextDictionary(codes, builder.Build());
    }

    // The codes, and per distinct value its string and its copy in the Arrow array (UTF-8 bytes and an offset).
    private static long DictionaryBytes(TextDictionary dictionary)
    {
        if (dictionary.Values is not { } values)
        {
            return 0;
        }

        long bytes = 4L * dictionary.Codes.Length;
        for (var i = 0; i < values.Length; i++)
        {
            var utf8 = values.GetBytes(i).Length;
            bytes += 24 + (2L * utf8) + utf8 + 4;
        }

        return bytes;
    }

    private sealed record TextDictionary(int[] Codes, StringArray? Values);

    public override IArrowArray ToArrow(ReadOnlySpan<int> selection)
    {
        var offsets = new byte[(selection.Length + 1) * sizeof(int)];
        var offsetSpan = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(offsets.AsSpan());
        var total = 0;
        for (var i = 0; i < selection.Length; i++)
        {
            total += _offsets[selection[i] + 1] - _offsets[selection[i]];
        }

        var data = new byte[total];
        var at = 0;
        for (var i = 0; i < selection.Length; i++)
        {
            offsetSpan[i] = at;
            at += Copy(GetBytes(selection[i]), data.AsSpan(at));
        }

        offsetSpan[selection.Length] = at;
        var validity = BuildValidity(selection, out var nullCount);
        var arrayData = new ArrayData(Column.ArrowType, selection.Length, nullCount, 0, [validity, new ArrowBuffer(offsets), new ArrowBuffer(data)]);
        return ArrowArrayFactory.BuildArray(arrayData);
    }

    public override IArrowArray ViewAsArrow(ReadOnlySpan<int> all)
    {
        var rows = all.Length;
        var validity = BuildValidity(all, out var nullCount);
        var offsets = new ArrowBuffer(new TypedArrayMemory<int>(_offsets).Memory[..((rows + 1) * sizeof(int))]);
        var data = new ArrowBuffer(_data.AsMemory(0, _offsets[rows]));
        return ArrowArrayFactory.BuildArray(new ArrayData(Column.ArrowType, rows, nullCount, 0, [validity, offsets, data]));
    }

    public override void Filter(ColumnPredicate predicate, Span<bool> mask)
    {
        var constant = predicate.Bytes ?? throw new ArgumentException(
            $"Column '{Column.Name}' holds {Column.Kind}; compare it with a string.", nameof(predicate));
        var valid = Valid;
        for (var row = 0; row < valid.Length; row++)
        {
            mask[row] = mask[row] && valid[row] && ColumnPredicate.Satisfies(predicate.Op, GetBytes(row).SequenceCompareTo(constant));
        }
    }

    protected override void AppendKeyValue(int row, IBufferWriter<byte> writer)
    {
        // Text keys carry the text tag, as the memtable writes them, so segment key bounds compare with memtable keys.
        if (IsUtf8)
        {
            KeyEncoding.WriteUtf8Text(writer, GetBytes(row));
        }
        else
        {
            KeyEncoding.WriteBytes(writer, GetBytes(row));
        }
    }

    public override ColumnStatistics ComputeStatistics()
    {
        var stats = new ColumnStatistics { NullCount = NullCount };
        var min = -1;
        var max = -1;
        if (_distinctCount > 0)
        {
            // Encoded with a dictionary: its values are every distinct value of the rows.
            foreach (var row in _distinctRows.AsSpan(0, _distinctCount))
            {
                Widen(row, ref min, ref max);
            }
        }
        else
        {
            var valid = Valid;
            for (var row = 0; row < valid.Length; row++)
            {
                if (valid[row])
                {
                    Widen(row, ref min, ref max);
                }
            }
        }

        if (min >= 0)
        {
            stats.HasRange = true;
            stats.MinBytes = ColumnStatistics.LowerBound(GetBytes(min));
            stats.MaxBytes = ColumnStatistics.UpperBound(GetBytes(max));
        }

        return stats;
    }

    private void Widen(int row, ref int min, ref int max)
    {
        // The bounds keep at most MaxBytesLength bytes, so values equal that far plus one byte give the same
        // bounds: comparing no further spares scans of long shared prefixes (JSON attributes).
        var value = BoundPrefix(row);
        if (min < 0)
        {
            min = max = row;
        }
        else if (value.SequenceCompareTo(BoundPrefix(min)) < 0)
        {
            min = row;
        }
        else if (value.SequenceCompareTo(BoundPrefix(max)) > 0)
        {
            max = row;
        }
    }

    private ReadOnlySpan<byte> BoundPrefix(int row)
    {
        var value = GetBytes(row);
        return value[..Math.Min(value.Length, ColumnStatistics.MaxBytesLength + 1)];
    }

    protected override void ReleaseValues()
    {
        Release(ref _data);
        Release(ref _offsets);
        Release(ref _denseBytes);
        Release(ref _distinctRows);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> target)
    {
        source.CopyTo(target);
        return source.Length;
    }
}
