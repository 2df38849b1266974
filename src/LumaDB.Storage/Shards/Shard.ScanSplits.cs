using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <content>Splitting a scan's key range into parts that separate threads can merge on their own.</content>
public sealed partial class Shard
{
    /// <summary>
    /// Contiguous primary-key ranges (without table prefix, like <see cref="SegmentScan.Keys"/>) that together cover
    /// <paramref name="keys"/> (null: the whole table) and hold about equal numbers of the table's rows in segments,
    /// judged from the row-group bounds the manifest keeps, so no file is read. Each key lies in exactly one range,
    /// with all its versions, so scans of the ranges at one snapshot together return exactly the rows of one scan
    /// of <paramref name="keys"/>. One range (<paramref name="keys"/> itself) when the rows in segments are fewer
    /// than two parts of <paramref name="minRowsPerPart"/>.
    /// </summary>
    /// <remarks>
    /// The row merge of a scan is sequential by nature (one ordered stream), so a large scan over segments whose
    /// key ranges overlap, as random ids make them, runs on one core however many the query has; parts of the
    /// key space merge independently. Rows still in memtables are not weighed: they are spread over the key
    /// space like the flushed ones unless keys grow with time, and then the last part takes them.
    /// </remarks>
    public IReadOnlyList<KeyRange> SplitScanKeys(TableLayout table, KeyRange? keys, TimeRange? time, int parts, long minRowsPerPart)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(minRowsPerPart, 1);
        var whole = keys ?? new KeyRange(null, null);
        if (parts < 2)
        {
            return [whole];
        }

        var range = table.ShardKeyRange(keys);
        var (lower, upper) = (range.Lower!, range.Upper!);
        var groups = new List<(byte[] MinKey, long Rows)>();
        long total = 0;
        foreach (var entry in SegmentsOf(_view, table, range, time))
        {
            foreach (var group in entry.Descriptor.RowGroups)
            {
                if (group.RowCount > 0 && range.Overlaps(group.MinKey, group.MaxKey) && (time is not { } t || group.MayHoldTimes(t)))
                {
                    groups.Add((group.MinKey, group.RowCount));
                    total += group.RowCount;
                }
            }
        }

        parts = (int)Math.Min(parts, total / minRowsPerPart);
        if (parts < 2)
        {
            return [whole];
        }

        // Cut where the running row count passes each part's share, at the first key of the row group that passes
        // it: strictly inside the range and above the previous cut, so every range is non-empty.
        groups.Sort((a, b) => a.MinKey.AsSpan().SequenceCompareTo(b.MinKey));
        var cuts = new List<byte[]>(parts - 1);
        long seen = 0;
        foreach (var (minKey, rows) in groups)
        {
            if (cuts.Count < parts - 1 && seen >= total * (cuts.Count + 1) / parts
                && minKey.AsSpan().SequenceCompareTo(lower) > 0 && minKey.AsSpan().SequenceCompareTo(upper) < 0
                && (cuts.Count == 0 || minKey.AsSpan().SequenceCompareTo(cuts[^1]) > 0))
            {
                cuts.Add(minKey);
            }

            seen += rows;
        }

        if (cuts.Count == 0)
        {
            return [whole];
        }

        var ranges = new KeyRange[cuts.Count + 1];
        var from = keys?.Lower;
        for (var i = 0; i < cuts.Count; i++)
        {
            var cut = cuts[i][table.KeyPrefix.Length..];
            ranges[i] = new KeyRange(from, cut);
            from = cut;
        }

        ranges[^1] = new KeyRange(from, keys?.Upper);
        return ranges;
    }
}
