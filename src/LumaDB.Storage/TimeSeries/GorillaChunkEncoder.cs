using System.Numerics;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// Encodes (timestamp ms, float64) samples in the Gorilla format: timestamps as delta-of-delta in
/// prefix-coded buckets, values as the XOR with the previous value inside a leading/trailing-zero window.
/// </summary>
/// <remarks>
/// Written by hand: there is no maintained .NET Gorilla codec. Layout: first timestamp (64 bits), first value
/// bits (64), then per sample a delta-of-delta ('0' | '10'+14 | '110'+17 | '1110'+20 | '1111'+64 bits,
/// two's complement) and a value ('0' same | '10' + bits in the previous window | '11' + 5-bit leading zeros +
/// 6-bit length (0 means 64) + bits). Values are handled as raw bit patterns, so every NaN (Prometheus'
/// staleness marker 0x7ff0000000000002 included), infinities and -0.0 round-trip bit-exact.
/// </remarks>
public sealed class GorillaChunkEncoder : IDisposable
{
    // One encoder per active series, so the fields are kept tight: the zero counts fit a byte (-1: no window
    // yet) and the newest timestamp is the previous one, not a field of its own.
    private readonly BitWriter _bits;
    private long _previousTimestamp;
    private long _previousDelta;
    private ulong _previousValue;
    private sbyte _leadingZeros;
    private sbyte _trailingZeros;

    /// <summary>Creates an empty encoder.</summary>
    public GorillaChunkEncoder(int initialBytes = 24)
    {
        _bits = new BitWriter(initialBytes);
    }

    /// <summary>Prefetch hint: level 0 loads the bit writer object, 1 the line its next bits go to.</summary>
    public void Prefetch(int level)
    {
        if (level == 0)
        {
            PrefetchLine.Object(_bits);
        }
        else
        {
            _bits.PrefetchTail();
        }
    }

    /// <summary>Samples encoded.</summary>
    public int Count { get; private set; }

    /// <summary>Timestamp of the first sample.</summary>
    public long MinTime { get; private set; }

    /// <summary>Timestamp of the last sample.</summary>
    public long MaxTime => Count == 0 ? 0 : _previousTimestamp;

    /// <summary>The encoded bytes so far; decodable with <see cref="Count"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _bits.WrittenBytes;

    /// <summary>Bytes held by the encoder's buffer.</summary>
    public int Capacity => _bits.Capacity;

    /// <summary>Appends a sample. Timestamps should increase; the codec itself accepts any order.</summary>
    public void Append(long timestampMs, double value)
    {
        var valueBits = BitConverter.DoubleToUInt64Bits(value);
        if (Count == 0)
        {
            _bits.WriteBits((ulong)timestampMs, 64);
            _bits.WriteBits(valueBits, 64);
            MinTime = timestampMs;
            _previousDelta = 0;
            _leadingZeros = -1;
        }
        else
        {
            var delta = unchecked(timestampMs - _previousTimestamp);
            WriteDeltaOfDelta(unchecked(delta - _previousDelta));
            _previousDelta = delta;
            WriteValue(valueBits ^ _previousValue);
        }

        _previousTimestamp = timestampMs;
        _previousValue = valueBits;
        Count++;
    }

    /// <summary>Copies the encoded samples into an immutable chunk of Gorilla bytes.</summary>
    public GorillaChunk ToChunk() => new(Bytes.ToArray(), Count, MinTime, MaxTime);

    /// <summary>
    /// The encoded samples as an immutable chunk in their stored form (<see cref="StoredChunkCodec"/>): for values
    /// that step by decimal fractions a fraction of the Gorilla bytes, and what a checkpoint writes as it is.
    /// </summary>
    public GorillaChunk ToStoredChunk() => GorillaChunk.FromStored(StoredChunkCodec.EncodeToArray(Bytes, Count), Count, MinTime, MaxTime);

    /// <summary>Starts a new, empty chunk, keeping the buffer.</summary>
    public void Reset()
    {
        _bits.Reset();
        Count = 0;
        MinTime = 0;
    }

    /// <summary>
    /// Starts a new, empty chunk in a small buffer of <paramref name="initialBytes"/>, letting the grown one go: a
    /// closed chunk has been copied out, and an open chunk is on average half full, so a buffer sized for a full
    /// one would hold about twice the bytes per series.
    /// </summary>
    public void Restart(int initialBytes = 24)
    {
        _bits.Restart(initialBytes);
        Count = 0;
        MinTime = 0;
    }

    /// <summary>Drops the buffer.</summary>
    public void Dispose() => _bits.Dispose();

    private static bool Fits(long value, int bits) => value >= -(1L << (bits - 1)) && value < (1L << (bits - 1));

    private void WriteDeltaOfDelta(long dod)
    {
        if (dod == 0)
        {
            _bits.WriteBit(false);
        }
        else if (Fits(dod, 14))
        {
            _bits.WriteBits(0b10, 2);
            _bits.WriteBits((ulong)dod, 14);
        }
        else if (Fits(dod, 17))
        {
            _bits.WriteBits(0b110, 3);
            _bits.WriteBits((ulong)dod, 17);
        }
        else if (Fits(dod, 20))
        {
            _bits.WriteBits(0b1110, 4);
            _bits.WriteBits((ulong)dod, 20);
        }
        else
        {
            _bits.WriteBits(0b1111, 4);
            _bits.WriteBits((ulong)dod, 64);
        }
    }

    private void WriteValue(ulong xor)
    {
        if (xor == 0)
        {
            _bits.WriteBit(false);
            return;
        }

        // Five bits hold the leading-zero count, so it is capped at 31 (the extra zeros become payload).
        var leading = Math.Min(BitOperations.LeadingZeroCount(xor), 31);
        var trailing = BitOperations.TrailingZeroCount(xor);
        if (_leadingZeros >= 0 && leading >= _leadingZeros && trailing >= _trailingZeros)
        {
            _bits.WriteBits(0b10, 2);
            _bits.WriteBits(xor >> _trailingZeros, 64 - _leadingZeros - _trailingZeros);
            return;
        }

        var significant = 64 - leading - trailing;
        _bits.WriteBits(0b11, 2);
        _bits.WriteBits((ulong)leading, 5);
        _bits.WriteBits((ulong)(significant & 63), 6);
        _bits.WriteBits(xor >> trailing, significant);
        _leadingZeros = (sbyte)leading;
        _trailingZeros = (sbyte)trailing;
    }
}
