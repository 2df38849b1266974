using LumaDB.Storage.TimeSeries;

namespace LumaDB.Storage.Tests.TimeSeries;

public sealed class GorillaCodecTests
{
    private const ulong StaleNaN = 0x7ff0000000000002;

    public static TheoryData<string> SeriesKinds => new() { "counter", "gauge", "constant", "special", "random-bits", "irregular-time" };

    [Theory]
    [MemberData(nameof(SeriesKinds))]
    public void Series_round_trip_bit_exact(string kind)
    {
        var samples = Make(kind, 1000, new Random(kind.GetHashCode(StringComparison.Ordinal)));

        var decoded = RoundTrip(samples);

        Assert.Equal(samples.Count, decoded.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].T, decoded[i].T);
            Assert.Equal(samples[i].Bits, decoded[i].Bits);
        }
    }

    [Fact]
    public void Encoder_time_range_follows_appends_and_clears_on_reset()
    {
        using var encoder = new GorillaChunkEncoder();
        Assert.Equal(0, encoder.MaxTime);

        encoder.Append(1_000, 1);
        encoder.Append(16_000, 2);
        encoder.Append(31_000, 3);
        Assert.Equal((1_000L, 31_000L, 3), (encoder.MinTime, encoder.MaxTime, encoder.Count));
        var chunk = encoder.ToChunk();
        Assert.Equal((1_000L, 31_000L), (chunk.MinTime, chunk.MaxTime));

        encoder.Reset();
        Assert.Equal((0L, 0L, 0), (encoder.MinTime, encoder.MaxTime, encoder.Count));
        encoder.Append(50_000, 4);
        Assert.Equal((50_000L, 50_000L), (encoder.MinTime, encoder.MaxTime));
    }

    [Fact]
    public void Value_windows_with_wide_zero_runs_round_trip_after_many_window_changes()
    {
        // Alternates values whose XORs have many leading and trailing zeros with ones that have few, so the
        // stored window (kept as byte-sized counts) is reused, widened and replaced many times.
        var samples = new List<(long T, ulong Bits)>();
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bits = i % 3 == 0 ? (ulong)random.NextInt64() : 0x4000_0000_0000_0000UL | ((ulong)random.Next(16) << 20);
            samples.Add((i * 15_000L, bits));
        }

        var decoded = RoundTrip(samples);

        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void Staleness_markers_and_other_nans_keep_their_bit_patterns()
    {
        ulong[] patterns = [StaleNaN, 0x7ff8000000000000, 0xfff8000000000000, 0x7ff0000000000001, 0xffffffffffffffff, 0x7ff4000000000123];
        var samples = new List<(long T, ulong Bits)>();
        var t = 1_700_000_000_000L;
        foreach (var pattern in patterns)
        {
            samples.Add((t += 15_000, BitConverter.DoubleToUInt64Bits(1.5)));
            samples.Add((t += 15_000, pattern));
            samples.Add((t += 15_000, pattern));
        }

        var decoded = RoundTrip(samples);

        Assert.Equal(samples, decoded);
        Assert.Equal(StaleNaN, decoded[1].Bits);
    }

    [Fact]
    public void Extreme_timestamps_and_deltas_round_trip()
    {
        long[] times = [long.MinValue, -1, 0, 1, 8191, 8192 + 8191, 1L << 40, (1L << 40) + 1, long.MaxValue - 1, long.MaxValue];
        var samples = times.Select((t, i) => (t, BitConverter.DoubleToUInt64Bits(i))).ToList();

        Assert.Equal(samples, RoundTrip(samples));
    }

    [Fact]
    public void A_single_sample_round_trips()
    {
        List<(long, ulong)> samples = [(42, BitConverter.DoubleToUInt64Bits(-0.0))];

        Assert.Equal(samples, RoundTrip(samples));
    }

    [Fact]
    public void A_realistic_counter_takes_under_two_bytes_per_sample()
    {
        var samples = Make("counter", 120 * 100, new Random(7));
        long bytes = 0;
        using var encoder = new GorillaChunkEncoder();
        for (var i = 0; i < samples.Count; i++)
        {
            encoder.Append(samples[i].T, BitConverter.UInt64BitsToDouble(samples[i].Bits));
            if (encoder.Count == 120)
            {
                bytes += encoder.Bytes.Length;
                encoder.Reset();
            }
        }

        var perSample = (double)bytes / samples.Count;
        Assert.InRange(perSample, 0.5, 2.0);
    }

    [Fact]
    public void Constant_regular_series_cost_about_two_bits_per_sample()
    {
        using var encoder = new GorillaChunkEncoder();
        for (var i = 0; i < 1000; i++)
        {
            encoder.Append(1_700_000_000_000L + (i * 15_000L), 1.0);
        }

        // 16 header bytes plus one bit each for a zero delta-of-delta and an unchanged value.
        Assert.InRange(encoder.Bytes.Length, 16 + 250, 16 + 256);
    }

    [Fact]
    public void Decoding_allocates_nothing_per_sample()
    {
        var samples = Make("gauge", 10_000, new Random(3));
        using var encoder = new GorillaChunkEncoder();
        foreach (var (t, bits) in samples)
        {
            encoder.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }

        var data = encoder.Bytes.ToArray();
        Sum(data, samples.Count);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = Sum(data, samples.Count);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sum);
    }

    [Fact]
    public void Truncated_data_is_reported_as_corrupt_instead_of_throwing()
    {
        var samples = Make("gauge", 100, new Random(5));
        using var encoder = new GorillaChunkEncoder();
        foreach (var (t, bits) in samples)
        {
            encoder.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }

        var data = encoder.Bytes.ToArray();
        for (var cut = 0; cut < data.Length; cut += 7)
        {
            var iterator = new GorillaChunkIterator(data.AsSpan(0, cut), samples.Count);
            var read = 0;
            while (iterator.MoveNext())
            {
                read++;
            }

            Assert.True(read < samples.Count);
            Assert.True(iterator.IsCorrupt);
        }
    }

    internal static List<(long T, ulong Bits)> Make(string kind, int count, Random random)
    {
        var samples = new List<(long, ulong)>(count);
        var t = 1_700_000_000_000L;
        var counter = 0.0;
        var gauge = 50.0;
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, double.MaxValue, double.MinValue];
        for (var i = 0; i < count; i++)
        {
            switch (kind)
            {
                case "counter":
                    // Scrapes every 15 s (Prometheus snaps small jitter, a little remains); a request counter
                    // of a modest endpoint: idle for a third of the scrapes, a few requests otherwise.
                    t += 15_000 + (random.Next(50) == 0 ? random.Next(-3, 4) : 0);
                    counter += random.Next(3) == 0 ? 0 : random.Next(1, 20);
                    samples.Add((t, BitConverter.DoubleToUInt64Bits(counter)));
                    break;
                case "gauge":
                    t += 15_000;
                    gauge += Math.Round((random.NextDouble() - 0.5) * 4, 2);
                    samples.Add((t, BitConverter.DoubleToUInt64Bits(gauge)));
                    break;
                case "constant":
                    t += 10_000;
                    samples.Add((t, BitConverter.DoubleToUInt64Bits(3.25)));
                    break;
                case "special":
                    t += 30_000;
                    samples.Add((t, BitConverter.DoubleToUInt64Bits(specials[random.Next(specials.Length)])));
                    break;
                case "random-bits":
                    t += random.Next(1, 100_000);
                    samples.Add((t, (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63)));
                    break;
                default:
                    t += random.Next(4) switch { 0 => 1, 1 => 60_000, 2 => 1_000_000_000, _ => random.NextInt64(1, 1L << 50) };
                    samples.Add((t, BitConverter.DoubleToUInt64Bits(random.NextDouble() * 1e6)));
                    break;
            }
        }

        return samples;
    }

    private static double Sum(byte[] data, int count)
    {
        var sum = 0.0;
        var iterator = new GorillaChunkIterator(data, count);
        while (iterator.MoveNext())
        {
            sum += iterator.Value + iterator.Timestamp;
        }

        return sum;
    }

    private static List<(long T, ulong Bits)> RoundTrip(List<(long T, ulong Bits)> samples)
    {
        using var encoder = new GorillaChunkEncoder(8);
        foreach (var (t, bits) in samples)
        {
            encoder.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }

        Assert.Equal(samples.Count, encoder.Count);
        var chunk = encoder.ToChunk();
        var decoded = new List<(long, ulong)>();
        var iterator = chunk.GetIterator();
        while (iterator.MoveNext())
        {
            decoded.Add((iterator.Timestamp, iterator.ValueBits));
        }

        Assert.False(iterator.IsCorrupt);
        return decoded;
    }
}
