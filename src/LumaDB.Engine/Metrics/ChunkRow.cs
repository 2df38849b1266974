using Apache.Arrow;
using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// A row of the chunks table (see <see cref="MetricTables.Chunks"/>) as read back: the Gorilla chunk and the
/// version of the checkpoint that wrote it.
/// </summary>
internal sealed class ChunkRow
{
    public ChunkRow(GorillaChunk chunk, ulong version)
    {
        Chunk = chunk;
        Version = version;
    }

    public GorillaChunk Chunk { get; }

    public ulong Version { get; }

    /// <summary>
    /// Adds the chunk rows of <paramref name="batches"/> (in key order: series, then first timestamp) to
    /// <paramref name="into"/> per series, keeping those of <paramref name="wanted"/> (all when null) that start
    /// before <paramref name="beforeMicros"/>.
    /// </summary>
    public static void Collect(IEnumerable<RecordBatch> batches, HashSet<ulong>? wanted, long beforeMicros, Dictionary<ulong, List<ChunkRow>> into)
    {
        foreach (var batch in batches)
        {
            using (batch)
            {
                var ids = (UInt64Array)batch.Column(0);
                var minMicros = (TimestampArray)batch.Column(1);
                var maxMicros = (TimestampArray)batch.Column(2);
                var versions = (UInt64Array)batch.Column(3);
                var counts = (Int32Array)batch.Column(4);
                var data = (BinaryArray)batch.Column(5);
                List<ChunkRow>? list = null;
                var listId = ulong.MaxValue;
                for (var i = 0; i < batch.Length; i++)
                {
                    var id = ids.GetValue(i)!.Value;
                    var min = minMicros.GetValue(i)!.Value;
                    if ((wanted is not null && !wanted.Contains(id)) || min >= beforeMicros)
                    {
                        continue;
                    }

                    if (list is null || id != listId)
                    {
                        listId = id;
                        if (!into.TryGetValue(id, out list))
                        {
                            list = [];
                            into.Add(id, list);
                        }
                    }

                    // Stored in the decimal-delta form when that was smaller; memory holds Gorilla chunks.
                    var chunk = StoredChunkCodec.Decode(data.GetBytes(i), counts.GetValue(i)!.Value, min / 1000, maxMicros.GetValue(i)!.Value / 1000);
                    list.Add(new ChunkRow(chunk, versions.GetValue(i)!.Value));
                }
            }
        }
    }

    /// <summary>Whether some of the chunks (in first-timestamp order) overlap in time.</summary>
    public static bool Overlap(List<ChunkRow> chunks)
    {
        for (var i = 1; i < chunks.Count; i++)
        {
            if (chunks[i].Chunk.MinTime <= chunks[i - 1].Chunk.MaxTime)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Appends the samples of one series' chunk rows in [<paramref name="mint"/>, <paramref name="maxt"/>] to
    /// <paramref name="into"/> in time order. Where chunks overlap, a timestamp takes the value of the chunk with the
    /// highest version (the latest checkpoint: a late sample re-encoded into a newer chunk).
    /// </summary>
    public static void Decode(List<ChunkRow> chunks, long mint, long maxt, List<Sample> into)
    {
        if (!Overlap(chunks))
        {
            foreach (var row in chunks)
            {
                Append(row.Chunk, mint, maxt, into);
            }

            return;
        }

        var byTime = new SortedDictionary<long, (double Value, ulong Version)>();
        foreach (var row in chunks)
        {
            var iterator = row.Chunk.GetIterator();
            while (iterator.MoveNext())
            {
                var t = iterator.Timestamp;
                if (t < mint || t > maxt)
                {
                    continue;
                }

                if (!byTime.TryGetValue(t, out var held) || held.Version <= row.Version)
                {
                    byTime[t] = (iterator.Value, row.Version);
                }
            }
        }

        foreach (var (t, (value, _)) in byTime)
        {
            into.Add(new Sample(t, value));
        }
    }

    private static void Append(GorillaChunk chunk, long mint, long maxt, List<Sample> into)
    {
        if (chunk.MaxTime < mint || chunk.MinTime > maxt)
        {
            return;
        }

        chunk.AppendRange(mint, maxt, into);
    }
}
