using LumaDB.Storage.TimeSeries;

namespace LumaDB.Storage.Tests.TimeSeries;

public sealed class SeriesMemtableTests
{
    private const long T0 = 1_700_000_000_000L;

    [Fact]
    public void Chunks_close_at_the_configured_sample_count()
    {
        using var memtable = new SeriesMemtable(new SeriesMemtableOptions { SamplesPerChunk = 50 });
        for (var i = 0; i < 175; i++)
        {
            Assert.Equal(SeriesAppendResult.Appended, memtable.Append(1, T0 + (i * 1000L), i));
        }

        Assert.Equal(3, memtable.ChunkCount);
        Assert.Equal(175, memtable.SampleCount);
        var all = new List<Sample>();
        Assert.Equal(175, memtable.Read(1, long.MinValue, long.MaxValue, all));
        Assert.Equal(Enumerable.Range(0, 175).Select(i => (double)i), all.Select(s => s.Value));
    }

    [Fact]
    public void Closed_chunks_of_a_decimal_counter_are_held_in_a_fraction_of_their_gorilla_bytes()
    {
        using var memtable = new SeriesMemtable();
        using var gorilla = new GorillaChunkEncoder();
        var random = new Random(17);
        var value = 123_456.0;
        var expected = new List<Sample>();
        for (var i = 0; i < 241; i++)
        {
            value += random.Next(0, 100) / 10.0;
            memtable.Append(1, T0 + (i * 15_000L), value);
            gorilla.Append(T0 + (i * 15_000L), value);
            expected.Add(new Sample(T0 + (i * 15_000L), value));
        }

        var read = new List<Sample>();
        memtable.Read(1, long.MinValue, long.MaxValue, read);

        Assert.Equal(2, memtable.ChunkCount);
        Assert.Equal(expected, read);
        Assert.True(memtable.EncodedBytes * 2 < gorilla.Bytes.Length, $"{memtable.EncodedBytes} bytes held against {gorilla.Bytes.Length} Gorilla bytes");
    }

    [Fact]
    public void Reads_return_only_the_requested_range_of_the_requested_series()
    {
        using var memtable = new SeriesMemtable();
        for (var i = 0; i < 1000; i++)
        {
            memtable.Append(1, T0 + (i * 15_000L), i);
            memtable.Append(2, T0 + (i * 15_000L), -i);
        }

        var samples = new List<Sample>();
        memtable.Read(2, T0 + (100 * 15_000L), T0 + (399 * 15_000L), samples);

        Assert.Equal(300, samples.Count);
        Assert.Equal(-100.0, samples[0].Value);
        Assert.Equal(T0 + (399 * 15_000L), samples[^1].TimestampMs);
        Assert.Equal(0, memtable.Read(3, long.MinValue, long.MaxValue, samples));
    }

    [Fact]
    public void A_late_sample_inside_the_window_is_merged_at_read_and_wins_a_tie()
    {
        using var memtable = new SeriesMemtable(new SeriesMemtableOptions { OutOfOrderWindowMs = 60_000 });
        memtable.Append(1, T0, 1);
        memtable.Append(1, T0 + 20_000, 3);
        memtable.Append(1, T0 + 40_000, 5);

        Assert.Equal(SeriesAppendResult.AppendedOutOfOrder, memtable.Append(1, T0 + 10_000, 2));
        Assert.Equal(SeriesAppendResult.AppendedOutOfOrder, memtable.Append(1, T0 + 20_000, 33));
        Assert.Equal(SeriesAppendResult.TooOld, memtable.Append(1, T0 - 30_000, 0));
        Assert.Equal(SeriesAppendResult.Duplicate, memtable.Append(1, T0 + 40_000, 5));
        Assert.Equal(SeriesAppendResult.DuplicateConflict, memtable.Check(1, T0 + 40_000, 6));

        var samples = new List<Sample>();
        memtable.Read(1, long.MinValue, long.MaxValue, samples);
        Assert.Equal([T0, T0 + 10_000, T0 + 20_000, T0 + 40_000], samples.Select(s => s.TimestampMs));
        Assert.Equal([1.0, 2, 33, 5], samples.Select(s => s.Value));
    }

    [Fact]
    public void With_no_window_every_late_sample_is_rejected()
    {
        using var memtable = new SeriesMemtable(new SeriesMemtableOptions { OutOfOrderWindowMs = 0 });
        memtable.Append(1, T0, 1);

        Assert.Equal(SeriesAppendResult.TooOld, memtable.Append(1, T0 - 1, 0));
        Assert.Equal(1, memtable.SampleCount);
    }

    [Fact]
    public void Random_late_writes_read_back_like_a_sorted_map()
    {
        var options = new SeriesMemtableOptions { SamplesPerChunk = 16, OutOfOrderWindowMs = 100_000, OutOfOrderCapacity = 4 };
        using var memtable = new SeriesMemtable(options);
        var model = new SortedDictionary<long, double>();
        var random = new Random(11);
        var newest = long.MinValue;
        for (var i = 0; i < 3000; i++)
        {
            var t = newest == long.MinValue ? T0 : newest + random.Next(-90_000, 30_000);
            var value = random.Next(1000) / 4.0;
            var result = memtable.Append(7, t, value);
            if (result is SeriesAppendResult.Appended or SeriesAppendResult.AppendedOutOfOrder)
            {
                model[t] = value;
                newest = Math.Max(newest, t);
            }
            else
            {
                Assert.True(result is SeriesAppendResult.TooOld or SeriesAppendResult.DuplicateConflict || model[t] == value);
            }
        }

        var samples = new List<Sample>();
        memtable.Read(7, long.MinValue, long.MaxValue, samples);
        Assert.Equal(model.Select(kv => new Sample(kv.Key, kv.Value)), samples);
        Assert.Equal(model.Count, memtable.SampleCount);

        var from = model.Keys.ElementAt(500);
        var to = model.Keys.ElementAt(900);
        samples.Clear();
        memtable.Read(7, from, to, samples);
        Assert.Equal(model.Where(kv => kv.Key >= from && kv.Key <= to).Select(kv => new Sample(kv.Key, kv.Value)), samples);
    }

    [Fact]
    public void Memory_accounting_reports_bytes_per_sample_of_a_counter()
    {
        using var memtable = new SeriesMemtable();
        foreach (var (t, bits) in GorillaCodecTests.Make("counter", 12_000, new Random(9)))
        {
            memtable.Append(1, t, BitConverter.UInt64BitsToDouble(bits));
        }

        Assert.Equal(12_000, memtable.SampleCount);
        Assert.InRange(memtable.BytesPerSample, 0.5, 2.0);
        Assert.True(memtable.MemoryBytes > memtable.EncodedBytes);
        Assert.True(memtable.MemoryBytes < 12_000 * 3);
    }

    [Fact]
    public async Task Series_append_concurrently_without_losing_samples()
    {
        using var memtable = new SeriesMemtable();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                memtable.Append((ulong)(i % 50), T0 + (((i / 50) * 8) + w), w);
            }
        })));

        Assert.Equal(50, memtable.SeriesCount);
        var samples = new List<Sample>();
        foreach (var id in memtable.SeriesIds)
        {
            memtable.Read(id, long.MinValue, long.MaxValue, samples);
        }

        Assert.Equal(memtable.SampleCount, samples.Count);
    }

    [Fact]
    public void Small_and_very_large_series_ids_are_kept_apart_and_listed()
    {
        using var memtable = new SeriesMemtable();
        ulong[] ids = [0, 1, 5000, 1UL << 40, ulong.MaxValue];
        foreach (var id in ids)
        {
            Assert.Equal(SeriesAppendResult.Appended, memtable.Append(id, T0, id % 1000));
            Assert.Equal(SeriesAppendResult.Appended, memtable.Append(id, T0 + 1000, 1));
        }

        Assert.Equal(ids.Length, memtable.SeriesCount);
        Assert.Equal(ids.Order(), memtable.SeriesIds.Order());
        foreach (var id in ids)
        {
            var samples = new List<Sample>();
            Assert.Equal(2, memtable.Read(id, long.MinValue, long.MaxValue, samples));
            Assert.Equal(id % 1000, samples[0].Value);
            Assert.Equal(SeriesAppendResult.Duplicate, memtable.Check(id, T0 + 1000, 1));
        }

        Assert.Equal(SeriesAppendResult.Appended, memtable.Check(3, T0, 1));
        Assert.Equal(0, memtable.Read(3, long.MinValue, long.MaxValue, []));
    }
    [Fact]
    public void Prefetching_any_level_of_known_unknown_and_out_of_range_series_changes_nothing()
    {
        using var memtable = new SeriesMemtable(new SeriesMemtableOptions { SamplesPerChunk = 4 });
        for (var t = 0; t < 10; t++)
        {
            memtable.Append(1, t * 1000, t);
        }

        var before = (memtable.SampleCount, memtable.ChunkCount, memtable.EncodedBytes);
        foreach (var id in new ulong[] { 0, 1, 2, 63, 64, 1UL << 40, ulong.MaxValue })
        {
            for (var level = -1; level <= SeriesMemtable.PrefetchLevels; level++)
            {
                memtable.Prefetch(id, level);
            }
        }

        Assert.Equal(before, (memtable.SampleCount, memtable.ChunkCount, memtable.EncodedBytes));
        var samples = new List<Sample>();
        memtable.Read(1, 0, long.MaxValue, samples);
        Assert.Equal(Enumerable.Range(0, 10).Select(t => (double)t), samples.Select(s => s.Value));
    }

    [Fact]
    public void Counts_from_writers_on_many_threads_add_up()
    {
        using var memtable = new SeriesMemtable(new SeriesMemtableOptions { SamplesPerChunk = 16 });
        Parallel.For(0, 8, writer =>
        {
            for (var t = 0; t < 1_000; t++)
            {
                memtable.Append((ulong)writer, t * 1000, t);
            }
        });

        Assert.Equal(8_000, memtable.SampleCount);
        Assert.Equal(8 * ((1_000 / 16) - (1_000 % 16 == 0 ? 1 : 0)), memtable.ChunkCount);
    }

    [Fact]
    public void Prefetching_through_a_null_array_reference_reads_nothing()
    {
        byte[] array = null!;
        PrefetchLine.ArrayData(ref array, 0);
        PrefetchLine.Object(null);
        Assert.Null(array);
    }
}
