using LumaDB.Storage.TimeSeries;

namespace LumaDB.Storage.Tests.TimeSeries;

public sealed class StoredChunkCodecTests
{
    private const ulong StaleNaN = 0x7ff0000000000002;

    public static TheoryData<string> SeriesKinds => new()
    {
        "decimal-counter", "integer-gauge", "constant", "special", "random-bits", "irregular-time", "huge-steps", "two-samples",
    };

    [Theory]
    [MemberData(nameof(SeriesKinds))]
    public void Stored_chunks_decode_to_the_same_samples_bit_exact(string kind)
    {
        var samples = Make(kind, new Random(kind.Length * 7919));
        var chunk = Encode(samples);

        var stored = StoredChunkCodec.Encode(chunk);
        var decoded = StoredChunkCodec.Decode(stored, chunk.Count, chunk.MinTime, chunk.MaxTime);

        Assert.Equal((chunk.Count, chunk.MinTime, chunk.MaxTime), (decoded.Count, decoded.MinTime, decoded.MaxTime));
        AssertHolds(decoded, samples);
        Assert.True(stored.Length <= chunk.Data.Length);
    }

    [Fact]
    public void Counters_growing_by_decimal_fractions_store_in_a_fraction_of_the_gorilla_bytes()
    {
        var chunk = Encode(Make("decimal-counter", new Random(3)));

        var stored = StoredChunkCodec.Encode(chunk);

        Assert.True(StoredChunkCodec.IsDecimal(stored));
        Assert.True(stored.Length * 2 < chunk.Data.Length, $"{stored.Length} stored bytes against {chunk.Data.Length} Gorilla bytes");
    }

    [Fact]
    public void Values_without_decimal_structure_keep_the_gorilla_bytes()
    {
        var chunk = Encode(Make("random-bits", new Random(5)));

        var stored = StoredChunkCodec.Encode(chunk);

        Assert.False(StoredChunkCodec.IsDecimal(stored));
        Assert.Same(chunk.Data, stored);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(50)]
    public void Chunks_whose_first_timestamp_starts_with_the_marker_byte_decode_to_the_same_samples(int count)
    {
        // A first timestamp whose top byte is 0xD1 (about -3.4e18 ms) starts the Gorilla bytes with the marker.
        var random = new Random(count);
        var samples = new List<(long T, ulong Bits)>();
        var t = unchecked((long)0xD100_0000_0000_1234UL);
        for (var i = 0; i < count; i++)
        {
            samples.Add((t + (i * 15_000L), (ulong)random.NextInt64()));
        }

        var chunk = Encode(samples);
        Assert.Equal(StoredChunkCodec.DecimalMarker, chunk.Data[0]);

        var stored = StoredChunkCodec.Encode(chunk);
        var decoded = StoredChunkCodec.Decode(stored, chunk.Count, chunk.MinTime, chunk.MaxTime);

        AssertHolds(decoded, samples);
    }

    [Fact]
    public void Damaged_stored_chunks_are_refused()
    {
        var chunk = Encode(Make("decimal-counter", new Random(9)));
        var stored = StoredChunkCodec.Encode(chunk);
        Assert.True(StoredChunkCodec.IsDecimal(stored));

        Assert.Throws<InvalidDataException>(() => StoredChunkCodec.Decode(stored.AsSpan(0, stored.Length - 3), chunk.Count, chunk.MinTime, chunk.MaxTime));
        Assert.Throws<InvalidDataException>(() => StoredChunkCodec.Decode(stored, chunk.Count + 5, chunk.MinTime, chunk.MaxTime));
    }

    [Theory]
    [MemberData(nameof(SeriesKinds))]
    public void Chunks_closed_in_the_stored_form_iterate_to_the_same_samples_bit_exact(string kind)
    {
        var samples = Make(kind, new Random(kind.Length * 31));
        using var encoder = new GorillaChunkEncoder();
        foreach (var (t, bits) in samples)
        {
            encoder.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }

        var chunk = encoder.ToStoredChunk();

        Assert.Equal(StoredChunkCodec.IsDecimal(chunk.Data), chunk.IsDecimalForm);
        Assert.True(chunk.Data.Length <= encoder.Bytes.Length || chunk.IsDecimalForm);
        AssertHolds(chunk, samples);
        AssertHolds(StoredChunkCodec.Decode(chunk.Data, chunk.Count, chunk.MinTime, chunk.MaxTime), samples);
    }

    [Fact]
    public void A_chunk_already_in_the_decimal_form_is_stored_as_it_is()
    {
        var samples = Make("decimal-counter", new Random(11));
        using var encoder = new GorillaChunkEncoder();
        foreach (var (t, bits) in samples)
        {
            encoder.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }

        var chunk = encoder.ToStoredChunk();

        Assert.True(chunk.IsDecimalForm);
        Assert.Same(chunk.Data, StoredChunkCodec.Encode(chunk));
        Assert.Equal(StoredChunkCodec.Encode(encoder.ToChunk()), chunk.Data);
    }

    [Fact]
    public void Stored_chunks_with_bytes_after_their_last_value_are_refused()
    {
        var chunk = Encode(Make("integer-gauge", new Random(13)));
        var stored = StoredChunkCodec.Encode(chunk);
        Assert.True(StoredChunkCodec.IsDecimal(stored));

        Assert.Throws<InvalidDataException>(() => StoredChunkCodec.Decode([.. stored, 0], chunk.Count, chunk.MinTime, chunk.MaxTime));
        Assert.Throws<InvalidDataException>(() => StoredChunkCodec.Decode(stored, chunk.Count - 1, chunk.MinTime, chunk.MaxTime));
    }

    /// <summary>The chunk holds exactly these samples, bit for bit, in order.</summary>
    private static void AssertHolds(GorillaChunk chunk, List<(long T, ulong Bits)> samples)
    {
        var iterator = chunk.GetIterator();
        var i = 0;
        while (iterator.MoveNext())
        {
            Assert.Equal(samples[i].T, iterator.Timestamp);
            Assert.Equal(samples[i].Bits, iterator.ValueBits);
            i++;
        }

        Assert.Equal(samples.Count, i);
    }

    private static GorillaChunk Encode(List<(long T, ulong Bits)> samples)
    {
        using var encoder = new GorillaChunkEncoder();
        foreach (var (t, bits) in samples)
        {
            encoder.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }

        return encoder.ToChunk();
    }

    private static List<(long T, ulong Bits)> Make(string kind, Random random)
    {
        var samples = new List<(long T, ulong Bits)>();
        var t = 1_700_000_000_000L;
        double value = random.Next(1, 1_000_000);
        var count = kind == "two-samples" ? 2 : 120;
        for (var i = 0; i < count; i++)
        {
            t += kind == "irregular-time" ? random.Next(1, 30_000) : 15_000;
            double next = kind switch
            {
                "decimal-counter" or "two-samples" => value + (random.Next(0, 100) / 10.0),
                "integer-gauge" or "irregular-time" => Math.Max(0, value + random.Next(-1000, 1000)),
                "constant" => 42.5,
                "huge-steps" => i % 2 == 0 ? 1e300 * random.NextDouble() : -1e-300 * random.NextDouble(),
                "special" => (i % 6) switch
                {
                    0 => BitConverter.UInt64BitsToDouble(StaleNaN),
                    1 => double.PositiveInfinity,
                    2 => -0.0,
                    3 => double.NaN,
                    4 => double.NegativeInfinity,
                    _ => value + 0.1,
                },
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()),
            };
            value = double.IsFinite(next) ? next : value;
            samples.Add((t, BitConverter.DoubleToUInt64Bits(next)));
        }

        return samples;
    }
}
