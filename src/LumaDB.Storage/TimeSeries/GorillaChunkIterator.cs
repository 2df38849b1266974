namespace LumaDB.Storage.TimeSeries;

/// <summary>Decodes a Gorilla chunk sample by sample without allocating.</summary>
public ref struct GorillaChunkIterator
{
    private BitReader _bits;
    private readonly int _count;
    private int _read;
    private long _delta;
    private ulong _valueBits;
    private int _leadingZeros;
    private int _trailingZeros;

    /// <summary>Creates an iterator over <paramref name="count"/> samples encoded in <paramref name="data"/>.</summary>
    public GorillaChunkIterator(ReadOnlySpan<byte> data, int count)
    {
        _bits = new BitReader(data);
        _count = count;
    }

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
    public readonly bool IsCorrupt => _bits.IsOverrun;

    /// <summary>Advances to the next sample; false at the end or on damaged data.</summary>
    public bool MoveNext()
    {
        if (_read >= _count)
        {
            return false;
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
