using System.Buffers;
using System.Runtime.InteropServices;

namespace LumaDB.Storage.TimeSeries;

/// <summary>
/// One series in a <see cref="SeriesMemtable"/>: closed chunks, the open head chunk and a small sorted buffer
/// of late samples. All members run under the lock of the head chunk's encoder (a private object, so the
/// series needs no lock object of its own); series never share a lock.
/// </summary>
/// <remarks>
/// Kept small, since there is one per active series: the late buffer exists only once a late sample came, and
/// the head chunk's buffer grows with what it holds.
/// </remarks>
internal sealed class SeriesHead : IDisposable
{
    // No chunks closed yet: a series gets its list with its first closed chunk (most live in the head chunk alone
    // for a while, and the empty list object was 32 bytes per series).
    private static readonly List<GorillaChunk> NoChunks = [];

    private readonly SeriesMemtable _owner;
    private List<GorillaChunk>? _closedChunks;
    private readonly GorillaChunkEncoder _head = new();
    private Sample[]? _late;
    private int _lateCount;
    private bool _hasSamples;
    private long _lastTimestamp;
    private ulong _lastValueBits;

    // Samples of the head chunk a checkpoint has stored, and a counter that changes whenever the head restarts,
    // so a checkpoint's acknowledgement of an older head is ignored.
    private int _headPersisted;
    private long _headGeneration;

    public SeriesHead(SeriesMemtable owner)
    {
        _owner = owner;
    }

    /// <summary>One level of <see cref="SeriesMemtable.Prefetch"/>.</summary>
    public void Prefetch(int level)
    {
        switch (level)
        {
            case 0:
                PrefetchLine.Object(this);
                break;
            case 1:
                PrefetchLine.Object(_head);
                break;
            default:
                _head.Prefetch(level - 2);
                break;
        }
    }

    // Read from the owner rather than held here: one reference less per series.
    private SeriesMemtableOptions Options => _owner.Options;

    private List<GorillaChunk> Closed => _closedChunks ?? NoChunks;

    public SeriesAppendResult Append(long timestampMs, double value)
    {
        lock (_head)
        {
            var result = Classify(timestampMs, value);
            if (result == SeriesAppendResult.Appended)
            {
                AppendInOrder(timestampMs, value);
                _hasSamples = true;
                _lastTimestamp = timestampMs;
                _lastValueBits = BitConverter.DoubleToUInt64Bits(value);
            }
            else if (result == SeriesAppendResult.AppendedOutOfOrder
                || (result == SeriesAppendResult.DuplicateConflict && Options.OutOfOrderWindowMs > 0))
            {
                // A direct append overwrites the newest sample's value (test loads rely on it); writes that must
                // follow Prometheus's duplicate rule ask Check first and never get here with a conflict.
                AddLate(new Sample(timestampMs, value));
                return SeriesAppendResult.AppendedOutOfOrder;
            }

            return result;
        }
    }

    /// <summary>What <see cref="Append"/> would do with the sample, without changing anything.</summary>
    public SeriesAppendResult Check(long timestampMs, double value)
    {
        lock (_head)
        {
            return Classify(timestampMs, value);
        }
    }

    /// <summary>Prometheus's rules: an exact repeat of the newest sample is ignored, a different value at its timestamp refused.</summary>
    private SeriesAppendResult Classify(long timestampMs, double value)
    {
        if (!_hasSamples || timestampMs > _lastTimestamp)
        {
            return SeriesAppendResult.Appended;
        }

        if (timestampMs == _lastTimestamp)
        {
            return BitConverter.DoubleToUInt64Bits(value) == _lastValueBits ? SeriesAppendResult.Duplicate : SeriesAppendResult.DuplicateConflict;
        }

        if (Options.OutOfOrderWindowMs <= 0 || (ulong)(_lastTimestamp - timestampMs) > (ulong)Options.OutOfOrderWindowMs)
        {
            return SeriesAppendResult.TooOld;
        }

        return SeriesAppendResult.AppendedOutOfOrder;
    }

    /// <summary>Appends the samples in [mint, maxt] to <paramref name="into"/>, in time order.</summary>
    public void Read(long mint, long maxt, List<Sample> into)
    {
        lock (_head)
        {
            var start = into.Count;
            foreach (var chunk in Closed)
            {
                if (chunk.MaxTime < mint)
                {
                    continue;
                }

                if (chunk.MinTime > maxt)
                {
                    break;
                }

                chunk.AppendRange(mint, maxt, into);
            }

            if (_head.Count > 0 && _head.MaxTime >= mint && _head.MinTime <= maxt)
            {
                new GorillaChunkIterator(_head.Bytes, _head.Count).AppendRange(mint, maxt, into);
            }

            MergeLateInto(mint, maxt, into, start);
        }
    }

    /// <summary>
    /// Drops the closed chunks whose samples are all older than <paramref name="cutoff"/>, stopping at the first one
    /// not persisted; the head chunk stays.
    /// </summary>
    public void DropPersistedBefore(long cutoff, Action<GorillaChunk>? dropped)
    {
        lock (_head)
        {
            var count = 0;
            long bytes = 0, samples = 0;
            while (count < Closed.Count && Closed[count].MaxTime < cutoff && Closed[count].IsPersisted)
            {
                bytes += Closed[count].Data.Length;
                samples += Closed[count].Count;
                count++;
            }

            if (count > 0)
            {
                for (var i = 0; dropped is not null && i < count; i++)
                {
                    dropped(Closed[i]);
                }

                Closed.RemoveRange(0, count);
                _owner.Account(-bytes, -count, -samples);
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="into"/> what a checkpoint has to store of this series: late samples are folded into
    /// the chunks first, then every closed chunk not yet persisted and a copy of the head chunk if it grew since
    /// the last checkpoint.
    /// </summary>
    public void CollectUnpersisted(ulong seriesId, List<PendingChunk> into)
    {
        lock (_head)
        {
            if (_lateCount > 0)
            {
                MergeLateIntoChunks();
            }

            foreach (var chunk in Closed)
            {
                if (!chunk.IsPersisted)
                {
                    into.Add(new PendingChunk(seriesId, chunk, null, 0));
                }
            }

            if (_head.Count > _headPersisted)
            {
                into.Add(new PendingChunk(seriesId, _head.ToChunk(), this, _headGeneration));
            }
        }
    }

    /// <summary>First timestamp of the open head chunk, or null when it is empty.</summary>
    public long? HeadMinTime
    {
        get
        {
            lock (_head)
            {
                return _head.Count > 0 ? _head.MinTime : null;
            }
        }
    }

    /// <summary>Records that a checkpoint stored the first <paramref name="count"/> samples of the head chunk.</summary>
    public void MarkHeadPersisted(long generation, int count)
    {
        lock (_head)
        {
            if (generation == _headGeneration && count > _headPersisted)
            {
                _headPersisted = count;
            }
        }
    }

    /// <summary>
    /// Takes a stored chunk back as a closed, persisted chunk when it follows every sample held (recovery loads a
    /// series' chunks in time order); otherwise appends its samples one by one.
    /// </summary>
    public void Adopt(GorillaChunk chunk)
    {
        lock (_head)
        {
            if (chunk.Count > 0 && _head.Count == 0 && _lateCount == 0 && (!_hasSamples || chunk.MinTime > _lastTimestamp))
            {
                var iterator = chunk.GetIterator();
                long last = 0;
                double lastValue = 0;
                while (iterator.MoveNext())
                {
                    last = iterator.Timestamp;
                    lastValue = iterator.Value;
                }

                if (last == chunk.MaxTime)
                {
                    chunk.MarkPersisted();
                    (_closedChunks ??= []).Add(chunk);
                    _owner.Account(chunk.Data.Length, 1, chunk.Count);
                    _hasSamples = true;
                    _lastTimestamp = last;
                    _lastValueBits = BitConverter.DoubleToUInt64Bits(lastValue);
                    return;
                }
            }
        }

        var samples = chunk.GetIterator();
        while (samples.MoveNext())
        {
            Append(samples.Timestamp, samples.Value);
        }
    }

    public void Dispose()
    {
        lock (_head)
        {
            _head.Dispose();
        }
    }

    /// <summary>Merges two time-ordered runs; on equal timestamps the late sample (the newer write) wins.</summary>
    private static int Merge(ReadOnlySpan<Sample> ordered, ReadOnlySpan<Sample> late, Span<Sample> output)
    {
        int i = 0, j = 0, n = 0;
        while (i < ordered.Length && j < late.Length)
        {
            var a = ordered[i].TimestampMs;
            var b = late[j].TimestampMs;
            if (a < b)
            {
                output[n++] = ordered[i++];
            }
            else
            {
                output[n++] = late[j++];
                if (a == b)
                {
                    i++;
                }
            }
        }

        ordered[i..].CopyTo(output[n..]);
        n += ordered.Length - i;
        late[j..].CopyTo(output[n..]);
        return n + late.Length - j;
    }

    private void AppendInOrder(long timestampMs, double value)
    {
        if (_head.Count >= Options.SamplesPerChunk)
        {
            // Closed chunks are kept in their stored form: a fraction of the Gorilla bytes for decimal-stepping values.
            var chunk = _head.ToStoredChunk();
            if (_headPersisted == _head.Count)
            {
                chunk.MarkPersisted();
            }

            (_closedChunks ??= []).Add(chunk);
            _owner.Account(chunk.Data.Length - _head.Bytes.Length, 1, 0);
            _head.Restart();
            _headPersisted = 0;
            _headGeneration++;
        }

        var before = _head.Bytes.Length;
        _head.Append(timestampMs, value);
        _owner.Account(_head.Bytes.Length - before, 0, 1);
    }

    private void ResetHead()
    {
        _head.Reset();
        _headPersisted = 0;
        _headGeneration++;
    }

    private void AddLate(Sample sample)
    {
        var capacity = Math.Max(1, Options.OutOfOrderCapacity);
        if (_lateCount == capacity)
        {
            MergeLateIntoChunks();
        }

        if (_late is null || _lateCount == _late.Length)
        {
            // Grown on demand: most series never see a late sample.
            var larger = new Sample[Math.Min(capacity, Math.Max(4, (_late?.Length ?? 0) * 2))];
            _late?.AsSpan(0, _lateCount).CopyTo(larger);
            _late = larger;
        }

        var late = _late.AsSpan(0, _lateCount);
        var at = late.BinarySearch(new TimestampKey(sample.TimestampMs));
        if (at >= 0)
        {
            late[at] = sample;
            return;
        }

        at = ~at;
        _late.AsSpan(at, _lateCount - at).CopyTo(_late.AsSpan(at + 1));
        _late[at] = sample;
        _lateCount++;
        _owner.Account(16, 0, 1);
    }

    private void MergeLateInto(long mint, long maxt, List<Sample> into, int start)
    {
        var late = _late.AsSpan(0, _lateCount);
        var lo = 0;
        while (lo < late.Length && late[lo].TimestampMs < mint)
        {
            lo++;
        }

        var hi = lo;
        while (hi < late.Length && late[hi].TimestampMs <= maxt)
        {
            hi++;
        }

        if (hi == lo)
        {
            return;
        }

        var orderedCount = into.Count - start;
        var scratch = ArrayPool<Sample>.Shared.Rent(orderedCount + (hi - lo));
        try
        {
            var ordered = CollectionsMarshal.AsSpan(into).Slice(start, orderedCount);
            var merged = Merge(ordered, late[lo..hi], scratch);
            CollectionsMarshal.SetCount(into, start + merged);
            scratch.AsSpan(0, merged).CopyTo(CollectionsMarshal.AsSpan(into)[start..]);
        }
        finally
        {
            ArrayPool<Sample>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Folds the late buffer into the chunks: the chunks from the first one a late sample falls into onwards
    /// are decoded, merged and re-encoded. The window keeps that to the last few chunks.
    /// </summary>
    private void MergeLateIntoChunks()
    {
        var oldest = _late![0].TimestampMs;
        var first = Closed.Count;
        while (first > 0 && Closed[first - 1].MaxTime >= oldest)
        {
            first--;
        }

        var total = _head.Count + _lateCount;
        for (var i = first; i < Closed.Count; i++)
        {
            total += Closed[i].Count;
        }

        var ordered = ArrayPool<Sample>.Shared.Rent(total);
        var merged = ArrayPool<Sample>.Shared.Rent(total);
        try
        {
            var n = 0;
            long removedBytes = _head.Bytes.Length;
            for (var i = first; i < Closed.Count; i++)
            {
                var iterator = Closed[i].GetIterator();
                while (iterator.MoveNext())
                {
                    ordered[n++] = new Sample(iterator.Timestamp, iterator.Value);
                }

                removedBytes += Closed[i].Data.Length;
            }

            var headIterator = new GorillaChunkIterator(_head.Bytes, _head.Count);
            while (headIterator.MoveNext())
            {
                ordered[n++] = new Sample(headIterator.Timestamp, headIterator.Value);
            }

            var count = Merge(ordered.AsSpan(0, n), _late.AsSpan(0, _lateCount), merged);
            var removedChunks = Closed.Count - first;
            var removedSamples = n + _lateCount;
            Closed.RemoveRange(first, removedChunks);
            ResetHead();
            long addedBytes = 0;
            for (var i = 0; i < count; i++)
            {
                if (_head.Count >= Options.SamplesPerChunk)
                {
                    var chunk = _head.ToStoredChunk();
                    (_closedChunks ??= []).Add(chunk);
                    addedBytes += chunk.Data.Length;
                    removedChunks--;
                    ResetHead();
                }

                _head.Append(merged[i].TimestampMs, merged[i].Value);
            }

            addedBytes += _head.Bytes.Length;
            _owner.Account(addedBytes - removedBytes - (16L * _lateCount), -removedChunks, count - removedSamples);
            _lateCount = 0;
        }
        finally
        {
            ArrayPool<Sample>.Shared.Return(ordered);
            ArrayPool<Sample>.Shared.Return(merged);
        }
    }

    /// <summary>Lets a binary search over samples compare by timestamp only.</summary>
    private readonly struct TimestampKey(long timestampMs) : IComparable<Sample>
    {
        public int CompareTo(Sample other) => timestampMs.CompareTo(other.TimestampMs);
    }
}
