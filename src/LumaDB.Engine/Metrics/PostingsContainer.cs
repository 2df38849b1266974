using System.Numerics;

namespace LumaDB.Engine.Metrics;

/// <summary>One 65,536-id chunk of a <see cref="Postings"/>: a sorted array while sparse, a bitmap when dense.</summary>
internal sealed class PostingsContainer
{
    /// <summary>Above this many ids a bitmap (8 KiB) is smaller than the array.</summary>
    public const int ArrayLimit = 4096;

    private const int BitmapWords = 1024;
    private ushort[]? _array;
    private ulong[]? _bitmap;

    public PostingsContainer() => _array = new ushort[4];

    private PostingsContainer(ushort[]? array, ulong[]? bitmap, int cardinality)
    {
        _array = array;
        _bitmap = bitmap;
        Cardinality = cardinality;
    }

    public int Cardinality { get; private set; }

    public long SizeBytes => _bitmap is not null ? BitmapWords * 8 : _array!.Length * 2;

    public bool Contains(ushort low) => _bitmap is { } bits
        ? (bits[low >> 6] & (1UL << low)) != 0
        : _array.AsSpan(0, Cardinality).BinarySearch(low) >= 0;

    public bool Add(ushort low)
    {
        if (_bitmap is { } bits)
        {
            var word = bits[low >> 6];
            var mask = 1UL << low;
            if ((word & mask) != 0)
            {
                return false;
            }

            bits[low >> 6] = word | mask;
            Cardinality++;
            return true;
        }

        var array = _array!;
        int at;
        if (Cardinality == 0 || array[Cardinality - 1] < low)
        {
            at = Cardinality;
        }
        else
        {
            at = array.AsSpan(0, Cardinality).BinarySearch(low);
            if (at >= 0)
            {
                return false;
            }

            at = ~at;
        }

        if (Cardinality == ArrayLimit)
        {
            _bitmap = ToBitmap(array.AsSpan(0, Cardinality));
            _array = null;
            return Add(low);
        }

        if (Cardinality == array.Length)
        {
            Array.Resize(ref _array, Math.Min(ArrayLimit, array.Length * 2));
            array = _array;
        }

        array.AsSpan(at, Cardinality - at).CopyTo(array.AsSpan(at + 1));
        array[at] = low;
        Cardinality++;
        return true;
    }

    public PostingsContainer Clone() => new(
        _array is null ? null : _array.AsSpan(0, Cardinality).ToArray(), _bitmap?.Clone() as ulong[], Cardinality);

    public int CopyTo(ulong high, Span<ulong> into)
    {
        var n = 0;
        if (_bitmap is { } bits)
        {
            for (var w = 0; w < BitmapWords; w++)
            {
                var word = bits[w];
                while (word != 0)
                {
                    into[n++] = high | (uint)((w << 6) + BitOperations.TrailingZeroCount(word));
                    word &= word - 1;
                }
            }

            return n;
        }

        foreach (var low in _array.AsSpan(0, Cardinality))
        {
            into[n++] = high | low;
        }

        return n;
    }

    public static PostingsContainer And(PostingsContainer a, PostingsContainer b)
    {
        if (a._bitmap is { } x && b._bitmap is { } y)
        {
            var bits = new ulong[BitmapWords];
            for (var w = 0; w < BitmapWords; w++)
            {
                bits[w] = x[w] & y[w];
            }

            return FromBitmap(bits);
        }

        if (a._bitmap is not null)
        {
            (a, b) = (b, a);
        }

        // a is an array: keep its ids that b holds.
        var result = new ushort[a.Cardinality];
        var n = 0;
        foreach (var low in a._array.AsSpan(0, a.Cardinality))
        {
            if (b.Contains(low))
            {
                result[n++] = low;
            }
        }

        return new PostingsContainer(result, null, n);
    }

    public static PostingsContainer Or(PostingsContainer a, PostingsContainer b)
    {
        if (a._bitmap is null && b._bitmap is null && a.Cardinality + b.Cardinality <= ArrayLimit)
        {
            var x = a._array.AsSpan(0, a.Cardinality);
            var y = b._array.AsSpan(0, b.Cardinality);
            var merged = new ushort[x.Length + y.Length];
            int i = 0, j = 0, n = 0;
            while (i < x.Length || j < y.Length)
            {
                if (j >= y.Length || (i < x.Length && x[i] < y[j]))
                {
                    merged[n++] = x[i++];
                }
                else if (i >= x.Length || y[j] < x[i])
                {
                    merged[n++] = y[j++];
                }
                else
                {
                    merged[n++] = x[i++];
                    j++;
                }
            }

            return new PostingsContainer(merged, null, n);
        }

        var bits = a.AsBitmap();
        b.OrInto(bits);
        return FromBitmap(bits);
    }

    public static PostingsContainer AndNot(PostingsContainer a, PostingsContainer b)
    {
        if (a._bitmap is null)
        {
            var result = new ushort[a.Cardinality];
            var n = 0;
            foreach (var low in a._array.AsSpan(0, a.Cardinality))
            {
                if (!b.Contains(low))
                {
                    result[n++] = low;
                }
            }

            return new PostingsContainer(result, null, n);
        }

        var bits = (ulong[])a._bitmap.Clone();
        if (b._bitmap is { } y)
        {
            for (var w = 0; w < BitmapWords; w++)
            {
                bits[w] &= ~y[w];
            }
        }
        else
        {
            foreach (var low in b._array.AsSpan(0, b.Cardinality))
            {
                bits[low >> 6] &= ~(1UL << low);
            }
        }

        return FromBitmap(bits);
    }

    private ulong[] AsBitmap() => _bitmap is { } bits ? (ulong[])bits.Clone() : ToBitmap(_array.AsSpan(0, Cardinality));

    private void OrInto(ulong[] bits)
    {
        if (_bitmap is { } mine)
        {
            for (var w = 0; w < BitmapWords; w++)
            {
                bits[w] |= mine[w];
            }

            return;
        }

        foreach (var low in _array.AsSpan(0, Cardinality))
        {
            bits[low >> 6] |= 1UL << low;
        }
    }

    private static ulong[] ToBitmap(ReadOnlySpan<ushort> lows)
    {
        var bits = new ulong[BitmapWords];
        foreach (var low in lows)
        {
            bits[low >> 6] |= 1UL << low;
        }

        return bits;
    }

    /// <summary>Wraps a bitmap result, going back to an array when it has become sparse.</summary>
    private static PostingsContainer FromBitmap(ulong[] bits)
    {
        var cardinality = 0;
        foreach (var word in bits)
        {
            cardinality += BitOperations.PopCount(word);
        }

        if (cardinality > ArrayLimit)
        {
            return new PostingsContainer(null, bits, cardinality);
        }

        var array = new ushort[cardinality];
        var n = 0;
        for (var w = 0; w < BitmapWords; w++)
        {
            var word = bits[w];
            while (word != 0)
            {
                array[n++] = (ushort)((w << 6) + BitOperations.TrailingZeroCount(word));
                word &= word - 1;
            }
        }

        return new PostingsContainer(array, null, cardinality);
    }
}
