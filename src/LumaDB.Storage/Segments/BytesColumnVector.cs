using System.Buffers;
using System.Text;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using Parquet;

namespace LumaDB.Storage.Segments;

/// <summary>
/// A UTF-8 string or binary column, held like Arrow holds it: one byte buffer plus row offsets. Parquet.Net
/// wants strings as UTF-16 <see cref="ReadOnlyMemory{T}"/> of char, so strings are transcoded at the Parquet
/// boundary into one pooled char buffer (no string object per row).
/// </summary>
internal sealed class BytesColumnVector : ColumnVector
{
    private byte[] _data = [];
    private int[] _offsets = [];
    private int _dataLength;
    private ReadOnlyMemory<byte>[] _denseBytes = [];
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

    protected override void ClearValues() => _dataLength = 0;

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

    protected override async Task WriteValuesAsync(ParquetRowGroupWriter writer, ReadOnlyMemory<int>? levels, CancellationToken cancellationToken)
    {
        var dense = Count - NullCount;
        if (!Column.TextAsString)
        {
            var slices = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(dense);
            try
            {
                var n = 0;
                for (var row = 0; row < Count; row++)
                {
                    if (IsValid(row))
                    {
                        slices[n++] = _data.AsMemory(_offsets[row], _offsets[row + 1] - _offsets[row]);
                    }
                }

                await writer.WriteAllPartsAsync<ReadOnlyMemory<byte>>(Column.ParquetField, slices.AsMemory(0, n), levels, null, cancellationToken);
            }
            finally
            {
                ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(slices, clearArray: true);
            }

            return;
        }

        // A text column of a schema read from an older segment (SegmentSchema.FromParquet) is a Parquet string
        // column, which Parquet.Net takes as UTF-16 only. UTF-8 never needs more UTF-16 code units than it has bytes.
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, _dataLength));
        var strings = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(dense);
        try
        {
            var n = 0;
            var at = 0;
            for (var row = 0; row < Count; row++)
            {
                if (IsValid(row))
                {
                    var length = Encoding.UTF8.GetChars(GetBytes(row), chars.AsSpan(at));
                    strings[n++] = chars.AsMemory(at, length);
                    at += length;
                }
            }

            await writer.WriteAllPartsAsync<ReadOnlyMemory<char>>(Column.ParquetField, strings.AsMemory(0, n), levels, null, cancellationToken);
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(strings, clearArray: true);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    protected override ValueTask ReadDenseAsync(ParquetRowGroupReader reader, int rows, Memory<int>? levels, CancellationToken cancellationToken)
    {
        // Text is read as the UTF-8 bytes the file holds: asking Parquet.Net for characters would decode every value
        // to UTF-16 only for it to be encoded back here.
        Grow(ref _denseBytes, rows);
        return reader.ReadRawAsync(Column.RawParquetField, _denseBytes.AsMemory(0, rows), levels, null, cancellationToken);
    }

    protected override void ExpandDense(int dense)
    {
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

    /// <summary>
    /// Every row (<paramref name="all"/> is the full selection) as an Arrow array over this vector's own buffers,
    /// not a copy: valid until the vector decodes its next row group.
    /// </summary>
    public IArrowArray ViewAsArrow(ReadOnlySpan<int> all)
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
        var valid = Valid;
        var min = -1;
        var max = -1;
        for (var row = 0; row < valid.Length; row++)
        {
            if (!valid[row])
            {
                continue;
            }

            if (min < 0 || GetBytes(row).SequenceCompareTo(GetBytes(min)) < 0)
            {
                min = row;
            }

            if (max < 0 || GetBytes(row).SequenceCompareTo(GetBytes(max)) > 0)
            {
                max = row;
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

    protected override void ReleaseValues()
    {
        Release(ref _data);
        Release(ref _offsets);
        Release(ref _denseBytes);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> target)
    {
        source.CopyTo(target);
        return source.Length;
    }
}
