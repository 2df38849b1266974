using System.Runtime.InteropServices;
using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// The buffers of one column of a decoded Arrow batch, taken once per batch so that values can be copied row by
/// row without the Arrow array API, whose per-call checks and span creation cost more than the copy itself when a
/// merge moves every value of every row (compaction) or a lookup encodes one row of a cached group
/// (<see cref="CachedRowReader"/>).
/// </summary>
internal readonly struct ArrowColumnView
{
    private readonly ReadOnlyMemory<byte> _validity;
    private readonly ReadOnlyMemory<byte> _values;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly int _offset;

    // False only for the default value: a column a read left out, whose every value reads as null.
    private readonly bool _present;

    private ArrowColumnView(ArrayData data)
    {
        _present = true;
        // A validity bitmap, when there is one, is read whatever the null count says (it may be left uncounted).
        _validity = data.Buffers[0].IsEmpty ? default : data.Buffers[0].Memory;
        _values = data.Buffers[1].Memory;
        _data = data.Buffers.Length > 2 ? data.Buffers[2].Memory : default;
        _offset = data.Offset;
    }

    /// <summary>The buffers of <paramref name="array"/>.</summary>
    public static ArrowColumnView Of(IArrowArray array) => new(array.Data);

    /// <summary>A column left out of a read: every value is null.</summary>
    public static ArrowColumnView Absent => default;

    /// <summary>Whether the value of <paramref name="row"/> is present.</summary>
    public bool IsValid(int row) => _present && (_validity.IsEmpty || BitUtility.GetBit(_validity.Span, _offset + row));

    /// <summary>The values of a 64-bit column (integers, timestamps) for rows 0 to <paramref name="rows"/> - 1.</summary>
    public ReadOnlySpan<long> Int64Values(int rows) => MemoryMarshal.Cast<byte, long>(_values.Span).Slice(_offset, rows);

    /// <summary>The little-endian bytes of a fixed-width value.</summary>
    public ReadOnlySpan<byte> Fixed(int row, int width) => _values.Span.Slice((_offset + row) * width, width);

    /// <summary>A boolean value (bit-packed).</summary>
    public bool Boolean(int row) => BitUtility.GetBit(_values.Span, _offset + row);

    /// <summary>
    /// A present value as the row form stores it (<see cref="RowCodec"/>): a boolean as one byte, 0 or 1; a
    /// fixed-width value as its little-endian bytes, which Arrow stores alike; text and bytes as they are.
    /// </summary>
    public ReadOnlySpan<byte> RowFormValue(int row, SegmentColumnKind kind, int width) => kind switch
    {
        SegmentColumnKind.Boolean => Boolean(row) ? True : False,
        _ when width != 0 => Fixed(row, width),
        _ => Bytes(row),
    };

    private static ReadOnlySpan<byte> True => [1];

    private static ReadOnlySpan<byte> False => [0];

    /// <summary>The bytes of a text or binary value.</summary>
    public ReadOnlySpan<byte> Bytes(int row)
    {
        var offsets = MemoryMarshal.Cast<byte, int>(_values.Span);
        var start = offsets[_offset + row];
        return _data.Span[start..offsets[_offset + row + 1]];
    }
}
