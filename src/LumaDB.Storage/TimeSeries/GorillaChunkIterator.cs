using System.Buffers.Binary;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// Decodes a chunk sample by sample without allocating: Gorilla bytes, or the decimal-delta form of
/// <see cref="StoredChunkCodec"/> that closed chunks are kept in.
/// </summary>
public ref struct GorillaChunkIterator
{
    private BitReader _bits;
    private readonly int _count;
    private int _read;
    private long _delta;
    private ulong _valueBits;
    private int _leadingZeros;
    private int _trailingZeros;

    // The decimal-delta form: a cursor in the timestamp stream and one in the value stream, which follows it.
    private readonly ReadOnlySpan<byte> _decimal;
    private readonly double _power;
    private int _timeAt;
    private int _valueAt;
    private long _zeroRunLeft;
    private bool _corrupt;

    /// <summary>Creates an iterator over <paramref name="count"/> samples encoded in <paramref name="data"/> as Gorilla bytes.</summary>
    public GorillaChunkIterator(ReadOnlySpan<byte> data, int count)
    {
        _bits = new BitReader(data);
        _count = count;
    }

    // The decimal-delta form; the parameter order tells it from the public constructor.
    private GorillaChunkIterator(int count, ReadOnlySpan<byte> stored)
    {
        _count = count;
        _decimal = stored;
        var scale = stored.Length > 1 ? stored[1] : byte.MaxValue;
        if (scale >= StoredChunkCodec.Powers.Length || count < 1)
        {
            _corrupt = true;
            return;
        }

        _power = StoredChunkCodec.Powers[scale];
        _timeAt = 2;

        // The value stream starts where the timestamps end, and nothing records where that is: skip them once.
        var at = _timeAt;
        var ok = TryReadVarint(stored, ref at, out _);
        for (long i = 1; ok && i < count;)
        {
            ok = TryReadVarint(stored, ref at, out var dod);
            ulong run = 0;
            ok = ok && (dod != 0 || TryReadVarint(stored, ref at, out run)) && run < (ulong)(count - i);
            i += 1 + (long)run;
        }

        _valueAt = at;
        _corrupt = !ok || at + 8 > stored.Length;
    }

    /// <summary>An iterator over <paramref name="count"/> samples in the decimal-delta form of <see cref="StoredChunkCodec"/>.</summary>
    public static GorillaChunkIterator OverDecimal(ReadOnlySpan<byte> stored, int count) => new(count, stored);

    /// <summary>
    /// After the last sample of the decimal-delta form: whether the value stream ended exactly at the end of the
    /// bytes (anything after it means damage). Always true for Gorilla bytes.
    /// </summary>
    internal readonly bool EndedExactly => _decimal.IsEmpty || _valueAt == _decimal.Length;

    /// <summary>
    /// Reads on and appends the samples with timestamps in [<paramref name="mint"/>, <paramref name="maxt"/>] to
    /// <paramref name="into"/>, stopping at the first one after the range.
    /// </summary>
    internal void AppendRange(long mint, long maxt, List<Sample> into)
    {
        while (MoveNext())
        {
            var t = Timestamp;
            if (t > maxt)
            {
                break;
            }

            if (t >= mint)
            {
                into.Add(new Sample(t, Value));
            }
        }
    }

    /// <summary>Timestamp (ms) of the current sample.</summary>
    public long Timestamp { get; private set; }

    /// <summary>Value of the current sample.</summary>
    public readonly double Value => BitConverter.UInt64BitsToDouble(_valueBits);

    /// <summary>Raw bits of the current value.</summary>
    public readonly ulong ValueBits => _valueBits;

    /// <summary>True when the data ended before the promised sample count (a damaged chunk).</summary>
    public readonly bool IsCorrupt => _corrupt || _bits.IsOverrun;

    /// <summary>Advances to the next sample; false at the end or on damaged data.</summary>
    public bool MoveNext()
    {
        if (_read >= _count || _corrupt)
        {
            return false;
        }

        if (!_decimal.IsEmpty)
        {
            return MoveNextDecimal();
        }

        if (_read == 0)
        {
            Timestamp = (long)_bits.ReadBits(64);
            _valueBits = _bits.ReadBits(64);
        }
        else
        {
            _delta = unchecked(_delta + ReadDeltaOfDelta());
            Timestamp = unchecked(Timestamp + _delta);
            ReadValue();
        }

        _read++;
        return !_bits.IsOverrun;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70 && at < data.Length; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private static long Unzigzag(ulong raw) => (long)(raw >> 1) ^ -(long)(raw & 1);

    private bool MoveNextDecimal()
    {
        var data = _decimal;
        if (_read == 0)
        {
            _corrupt = !TryReadVarint(data, ref _timeAt, out var first);
            Timestamp = Unzigzag(first);
            _valueBits = BinaryPrimitives.ReadUInt64LittleEndian(data[_valueAt..]);
            _valueAt += 8;
        }
        else
        {
            long dod = 0;
            if (_zeroRunLeft > 0)
            {
                _zeroRunLeft--;
            }
            else if (TryReadVarint(data, ref _timeAt, out var rawDod))
            {
                dod = Unzigzag(rawDod);
                if (dod == 0)
                {
                    _corrupt |= !TryReadVarint(data, ref _timeAt, out var run);
                    _zeroRunLeft = (long)run;
                }
            }
            else
            {
                _corrupt = true;
            }

            _delta = unchecked(_delta + dod);
            Timestamp = unchecked(Timestamp + _delta);
            if (TryReadVarint(data, ref _valueAt, out var head))
            {
                var k = (long)(head >> 2) ^ -(long)((head >> 1) & 1);
                var predicted = StoredChunkCodec.Predict(_valueBits, k, _power);
                if ((head & 1) != 0)
                {
                    _corrupt |= !TryReadVarint(data, ref _valueAt, out var miss);
                    predicted = unchecked(predicted + (ulong)Unzigzag(miss));
                }

                _valueBits = predicted;
            }
            else
            {
                _corrupt = true;
            }
        }

        _read++;
        return !_corrupt;
    }

    private static long SignExtend(ulong value, int bits) => (long)(value << (64 - bits)) >> (64 - bits);

    private long ReadDeltaOfDelta()
    {
        if (!_bits.ReadBit())
        {
            return 0;
        }

        if (!_bits.ReadBit())
        {
            return SignExtend(_bits.ReadBits(14), 14);
        }

        if (!_bits.ReadBit())
        {
            return SignExtend(_bits.ReadBits(17), 17);
        }

        if (!_bits.ReadBit())
        {
            return SignExtend(_bits.ReadBits(20), 20);
        }

        return (long)_bits.ReadBits(64);
    }

    private void ReadValue()
    {
        if (!_bits.ReadBit())
        {
            return;
        }

        if (_bits.ReadBit())
        {
            _leadingZeros = (int)_bits.ReadBits(5);
            var significant = (int)_bits.ReadBits(6);
            if (significant == 0)
            {
                significant = 64;
            }

            _trailingZeros = 64 - _leadingZeros - significant;
            if (_trailingZeros < 0)
            {
                // Only damaged data gets here; force the overrun flag rather than shift by a negative count.
                _bits.ReadBits(64);
                _bits.ReadBits(64);
                _trailingZeros = 0;
                return;
            }
        }

        var meaningful = 64 - _leadingZeros - _trailingZeros;
        _valueBits ^= _bits.ReadBits(meaningful) << _trailingZeros;
    }
}
