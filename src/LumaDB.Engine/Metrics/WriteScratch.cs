using System.Buffers;
using System.Collections.Concurrent;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The buffers a write stages its WAL batch in, reused from write to write: a request of a few thousand samples
/// grows its row buffer past 85 KB, and fresh buffers of that size per request land on the large object heap,
/// where they stay until a full collection and swell the resident memory.
/// </summary>
internal sealed class WriteScratch
{
    /// <summary>Samples past which a write's scratch is dropped after use instead of kept, so one huge write does not pin its buffers.</summary>
    private const int MaxPooledSamples = 64 * 1024;

    /// <summary>Scratches kept idle at most (about the writes in flight at once).</summary>
    private const int MaxPooled = 16;

    private static readonly ConcurrentQueue<WriteScratch> Pool = new();

    public WriteBatch Batch { get; } = new();

    public ArrayBufferWriter<byte> Row { get; } = new(256);

    /// <summary>The write's sample log record.</summary>
    public ArrayBufferWriter<byte> Record { get; } = new(4096);

    public ArrayBufferWriter<byte> Labels { get; } = new(256);

    /// <summary>Series of the write not yet in the WAL, in the order their rows were added.</summary>
    public List<ulong> NewSeries { get; } = [];

    /// <summary>Where each of <see cref="NewSeries"/> is in the write's series list.</summary>
    public List<int> NewSeriesAt { get; } = [];

    /// <summary>The same ids as <see cref="NewSeries"/>, to skip a series listed twice in one write.</summary>
    public HashSet<ulong> NewSeriesSet { get; } = [];

    /// <summary>An empty scratch, reused when one is idle.</summary>
    public static WriteScratch Rent() => Pool.TryDequeue(out var scratch) ? scratch : new WriteScratch();

    /// <summary>Empties <paramref name="scratch"/> and keeps it for the next write, unless it grew for an unusually large one.</summary>
    public static void Return(WriteScratch scratch, int samples)
    {
        scratch.Batch.Clear();
        scratch.Record.ResetWrittenCount();
        scratch.NewSeries.Clear();
        scratch.NewSeriesAt.Clear();
        scratch.NewSeriesSet.Clear();
        if (samples <= MaxPooledSamples && Pool.Count < MaxPooled)
        {
            Pool.Enqueue(scratch);
        }
    }
}
