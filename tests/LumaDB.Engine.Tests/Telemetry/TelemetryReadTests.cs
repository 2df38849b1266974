using LumaDB.Engine.Telemetry;
using LumaDB.Storage.Segments;
using LumaDB.Engine.Tests.Transactions;

namespace LumaDB.Engine.Tests.Telemetry;

public sealed class TelemetryReadTests
{
    [Fact]
    public async Task A_trace_is_read_whole_from_segments_and_memtable_and_nothing_of_its_neighbours_in_key_order()
    {
        await using var engine = await EngineFixture.OpenAsync();
        using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), TimeProvider.System);
        const string trace = "0af7651916cd43dd8448eb211c80319c";
        const string next = "0af7651916cd43dd8448eb211c80319d";
        const string before = "0af7651916cd43dd8448eb211c80319b";
        await store.WriteSpansAsync([TestSpans.Make(trace, 1), TestSpans.Make(trace, 2), TestSpans.Make(next, 1), TestSpans.Make(before, 1)]);
        await engine.Database.FlushAsync();
        await store.WriteSpansAsync([TestSpans.Make(trace, 3), TestSpans.Make(next, 2)]);

        var spans = await store.GetTraceAsync(trace);
        Assert.Equal(["0000000000000001", "0000000000000002", "0000000000000003"], spans.Select(s => s.SpanId).Order());
        Assert.All(spans, s => Assert.Equal(trace, s.TraceId));
        Assert.Equal(2, (await store.GetTraceAsync(next)).Count);
        Assert.Single(await store.GetTraceAsync(before));
        Assert.Empty(await store.GetTraceAsync("0af7651916cd43dd8448eb211c80319"));
        Assert.Empty(await store.GetTraceAsync("ffffffffffffffffffffffffffffffff"));
    }

    [Fact]
    public async Task A_search_returns_the_traces_with_the_newest_matching_spans_newest_first_wherever_they_are_stored()
    {
        await using var engine = await EngineFixture.OpenAsync();
        using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), TimeProvider.System);

        // Trace i starts at second i; trace ids run against time, so key order is not time order. Half the traces
        // are flushed, half stay in the memtable, and every third is another service's.
        string Id(int i) => $"{1000 - i:x32}";
        SpanRecord At(int i, int span, int second) =>
            TestSpans.Make(Id(i), span, 1_764_028_800_000_000_000 + (second * 1_000_000_000L), i % 3 == 0 ? "cart" : "checkout");
        await store.WriteSpansAsync([.. Enumerable.Range(0, 20).SelectMany(i => new[] { At(i, 1, i), At(i, 2, i) })]);
        await engine.Database.FlushAsync();
        await store.WriteSpansAsync([.. Enumerable.Range(20, 20).SelectMany(i => new[] { At(i, 1, i), At(i, 2, i) })]);

        // A late span makes trace 5 the newest.
        await store.WriteSpansAsync([At(5, 3, 100)]);

        Assert.Equal([Id(5), Id(39), Id(38), Id(37)], await store.FindTraceIdsAsync(new SpanSearch(), 4));
        Assert.Equal([Id(39), Id(36), Id(33)], await store.FindTraceIdsAsync(new SpanSearch { ServiceName = "cart" }, 3));
        var from = 1_764_028_800_000_000L + (10 * 1_000_000L);
        Assert.Equal(
            [Id(14), Id(13), Id(12), Id(11), Id(10)],
            await store.FindTraceIdsAsync(new SpanSearch { StartMicros = from, EndMicros = from + (5 * 1_000_000L) }, 50));
    }

    [Fact]
    public async Task A_search_over_many_spans_in_random_time_order_keeps_the_traces_whose_newest_span_is_newest()
    {
        await using var engine = await EngineFixture.OpenAsync();
        using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), TimeProvider.System);

        // 300 traces of 1 to 8 spans at random seconds (many starts tie), written in random order, a third of them
        // flushed: a scan in key order meets the starts shuffled, so traces enter, move and leave the kept set.
        // A few ids written through SQL would not be hex, and some sit right at the split digits.
        var random = new Random(11);
        var spans = new List<SpanRecord>();
        string[] odd = ["8", "80", "7~", "g0", "Z", "F00D", "c", "bffff", "~~~"];
        for (var t = 0; t < 300 + odd.Length; t++)
        {
            var id = t < 300 ? $"{random.NextInt64(long.MaxValue):x16}{t:x16}" : odd[t - 300];
            for (var n = 1; n <= 1 + random.Next(8); n++)
            {
                spans.Add(TestSpans.Make(id, n, 1_764_028_800_000_000_000 + (random.Next(200) * 1_000_000_000L)));
            }
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(spans));
        await store.WriteSpansAsync(spans[..(spans.Count / 3)]);
        await engine.Database.FlushAsync();
        await store.WriteSpansAsync(spans[(spans.Count / 3)..]);

        foreach (var parts in new[] { 1, 2, 3, 16 })
        {
            store.SearchParts = parts;
            foreach (var limit in new[] { 1, 7, 40, 400 })
            {
                var expected = spans.GroupBy(s => s.TraceId)
                    .Select(g => (Id: g.Key, Newest: g.Max(s => s.StartTimeUnixNano)))
                    .OrderByDescending(t => t.Newest).ThenBy(t => t.Id, StringComparer.Ordinal)
                    .Take(limit).Select(t => t.Id);
                Assert.Equal(expected, await store.FindTraceIdsAsync(new SpanSearch(), limit));
            }
        }
    }

    [Fact]
    public void The_ranges_a_search_splits_into_hold_every_trace_id_exactly_once()
    {
        string[] ids = ["", "0", "00", "0af7651916cd43dd8448eb211c80319c", "7", "7fffffffffffffffffffffffffffffff", "8", "80", "8\0",
            "9", "a", "bf", "c", "f", "ffffffffffffffffffffffffffffffff", "g", "Z", "~", "\uffff", "7\0", "A"];
        foreach (var parts in Enumerable.Range(1, 16))
        {
            var ranges = TelemetryStore.TraceIdRanges(parts);
            Assert.Equal(parts, ranges.Length);
            foreach (var id in ids)
            {
                var key = new System.Buffers.ArrayBufferWriter<byte>();
                LumaDB.Storage.Memtables.KeyEncoding.WriteText(key, id);
                LumaDB.Storage.Memtables.KeyEncoding.WriteText(key, "00f067aa0ba902b7");
                Assert.Single(ranges, r => r.Contains(key.WrittenSpan));
            }
        }
    }
    [Fact]
    public void Search_windows_reach_back_from_the_end_four_times_longer_each_time_and_the_last_covers_the_search()
    {
        const long Second = 1_000_000L;
        var now = 1_800_000_000_000_000L;

        // No bounds: from now on back 5, 20, 80 ... 327,680 seconds (3.8 days), then everything.
        var open = TelemetryStore.SearchWindows(null, null, now);
        Assert.Equal([5L, 20, 80, 320, 1280, 5120, 20480, 81920, 327680], open.SkipLast(1).Select(w => (now - w!.Value.FromMicros) / Second));
        Assert.All(open.SkipLast(1), w => Assert.Equal(long.MaxValue, w!.Value.ToMicros));
        Assert.Null(open[^1]);

        // Bounds: from the end back, the last window is exactly the search's range.
        var end = now - (1800 * Second);
        var bounded = TelemetryStore.SearchWindows(end - (100 * Second), end, now);
        Assert.Equal(
            [new TimeRange(end - (5 * Second), end), new TimeRange(end - (20 * Second), end), new TimeRange(end - (80 * Second), end), new TimeRange(end - (100 * Second), end)],
            bounded);

        // A range shorter than five seconds is one window; an end alone reaches back to the beginning last.
        Assert.Equal([new TimeRange(end - 5, end)], TelemetryStore.SearchWindows(end - 5, end, now));
        Assert.Equal(new TimeRange(long.MinValue, end), TelemetryStore.SearchWindows(null, end, now)[^1]);
    }

    [Fact]
    public async Task A_search_for_the_newest_traces_reads_only_the_recent_segments_when_they_hold_enough()
    {
        await using var engine = await EngineFixture.OpenAsync();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), new FixedTime(now));
        var nowNanos = now.ToUnixTimeMilliseconds() * 1_000_000;

        // Ten traces two hours ago in one segment, five from ten seconds ago in another.
        await store.EnsureTablesAsync();
        await engine.Database.FlushAsync();
        var before = SegmentFiles(engine);
        await store.WriteSpansAsync([.. Enumerable.Range(0, 10).Select(i => TestSpans.Make($"{i:x32}", 1, nowNanos - 7_200_000_000_000 + i))]);
        await engine.Database.FlushAsync();
        var old = SegmentFiles(engine).Except(before).Single();
        string[] recent = [.. Enumerable.Range(0, 5).Select(i => $"{0xa0 + i:x32}")];
        await store.WriteSpansAsync([.. recent.Select((id, i) => TestSpans.Make(id, 1, nowNanos - 10_000_000_000 + (i * 1_000_000)))]);
        await engine.Database.FlushAsync();
        File.Delete(old);

        // The last 20 seconds hold five traces: the old segment's bytes are never needed.
        Assert.Equal(recent.Reverse(), await store.FindTraceIdsAsync(new SpanSearch(), 5));
        Assert.Equal(recent[3..].Reverse(), await store.FindTraceIdsAsync(new SpanSearch { EndMicros = (nowNanos / 1000) - 8_000_000 }, 2));

        // A sixth trace lies two hours back, in the file that is gone.
        await Assert.ThrowsAnyAsync<IOException>(() => store.FindTraceIdsAsync(new SpanSearch(), 6));
    }

    [Fact]
    public async Task A_traces_table_keyed_without_the_start_time_is_still_written_searched_and_read()
    {
        await using var engine = await EngineFixture.OpenAsync();

        // The key an earlier release created otel_traces with: (trace_id, span_id).
        var current = OtelTracesTable.Definition();
        await using (var create = engine.Database.BeginTransaction())
        {
            create.CreateTable(new LumaDB.Engine.Catalog.TableDefinition(
                0, current.Schema, current.Name, current.Columns, [OtelTracesTable.TraceId, OtelTracesTable.SpanId],
                timeColumn: OtelTracesTable.StartTime, options: current.Options.ToDictionary()));
            await create.CommitAsync();
        }

        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        using var store = new TelemetryStore(engine.Database, new TelemetryTableOptions(), new FixedTime(now));
        var nowNanos = now.ToUnixTimeMilliseconds() * 1_000_000;
        await store.WriteSpansAsync([TestSpans.Make($"{1:x32}", 1, nowNanos - 7_200_000_000_000), TestSpans.Make($"{2:x32}", 1, nowNanos - 10_000_000_000)]);
        await engine.Database.FlushAsync();
        await store.WriteSpansAsync([TestSpans.Make($"{1:x32}", 2, nowNanos - 7_100_000_000_000)]);

        Assert.False((await store.EnsureTablesAsync()).Traces.Layout.TimeInKey);
        Assert.Equal([$"{2:x32}", $"{1:x32}"], await store.FindTraceIdsAsync(new SpanSearch(), 5));
        Assert.Equal(2, (await store.GetTraceAsync($"{1:x32}")).Count);
    }

    private static string[] SegmentFiles(EngineFixture engine) => Directory.GetFiles(engine.Directory, "*.parquet", SearchOption.AllDirectories);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
