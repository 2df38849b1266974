using System.Buffers;

namespace LumaDB.Storage.Wal;

/// <content>The single writer loop: group commit, segment rolling and fsync policy.</content>
public sealed partial class WriteAheadLog
{
    private readonly List<WalAppendRequest> _batch = new(256);
    private IWalAppendFile _activeFile;
    private long _segmentLength;
    // Buffers up to this size come from the shared pool; a larger one (a batch with a big record) is a plain array
    // that is dropped once batches no longer need it, so one big commit does not pin megabytes for the process's life.
    private const int PooledBufferBytes = 1024 * 1024;
    private const int InitialBufferBytes = 64 * 1024;

    // Batches in a row that used under a quarter of an oversized buffer before it is given back.
    private const int ShrinkAfterSmallBatches = 64;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _bufferLength;
    private int _batchPeakBytes;
    private int _smallBatches;
    private bool _unsynced;
    private long _lastSyncTimestamp;

    /// <summary>
    /// Starts the writer on a thread of its own: it blocks in write and fsync for milliseconds at a time, and on a
    /// thread-pool worker those waits would leave a core of a small machine without a worker to decode requests.
    /// </summary>
    private Task StartWriterThread()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            // As Task.Run did: a failure of the loop itself ends up in the task disposal awaits, not the process.
            try
            {
                WriterLoop();
                done.SetResult();
            }
            catch (Exception error)
            {
                done.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "LumaDB WAL writer",
        };
        thread.Start();
        return done.Task;
    }

    private void WriterLoop()
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                // Reset before looking: an enqueue after the look sets the event again, so the wait cannot miss it.
                _work.Reset();
                if (!reader.TryPeek(out _))
                {
                    if (reader.Completion.IsCompleted)
                    {
                        return;
                    }

                    _work.Wait();
                    continue;
                }

                try
                {
                    WriteOneBatch(reader);
                }
                catch (Exception error)
                {
                    FailEverything(error);
                    return;
                }
            }
        }
        finally
        {
            ReleaseBuffer(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Capacity of the batch buffer (tests check that an oversized one is given back).</summary>
    internal int BufferCapacity => Volatile.Read(ref _buffer).Length;

    private void WriteOneBatch(System.Threading.Channels.ChannelReader<WalAppendRequest> reader)
    {
        _batch.Clear();
        var syncRequested = false;
        while (_bufferLength < _options.MaxBatchBytes && reader.TryRead(out var request))
        {
            _batch.Add(request);
            if (request.IsSync)
            {
                syncRequested = true;
                continue;
            }

            var size = WalRecordFormat.HeaderSize + request.Payload.Length;
            if (_segmentLength + _bufferLength + size > _options.SegmentSizeBytes && _segmentLength + _bufferLength > 0)
            {
                WriteBuffer();
                RollSegment(request.Lsn);
            }

            EnsureBuffer(size);
            _bufferLength += WalRecordFormat.Write(_buffer.AsSpan(_bufferLength), request.Lsn, request.Type, request.Payload.Span);
        }

        WriteBuffer();
        ShrinkBufferWhenIdle();
        var sync = _options.FsyncMode switch
        {
            WalFsyncMode.Always => true,
            WalFsyncMode.Interval => syncRequested || _options.TimeProvider.GetElapsedTime(_lastSyncTimestamp) >= _options.FsyncInterval,
            _ => syncRequested,
        };
        if (sync && _unsynced)
        {
            SyncActive();
        }

        foreach (var request in _batch)
        {
            if (!request.IsSync)
            {
                _appendCount++;
            }
        }

        // Completed from one thread-pool item: each waiter's continuation then goes to that worker's local queue,
        // which workers serve before the global one, so acknowledged commits are not queued behind new requests.
        ThreadPool.UnsafeQueueUserWorkItem(static requests =>
        {
            foreach (var request in requests)
            {
                request.Succeed(request.Lsn);
            }
        }, _batch.ToArray(), preferLocal: false);
        _batch.Clear();
    }

    private void WriteBuffer()
    {
        if (_bufferLength == 0)
        {
            return;
        }

        _batchPeakBytes = Math.Max(_batchPeakBytes, _bufferLength);
        _activeFile.Write(_buffer.AsSpan(0, _bufferLength));
        _segmentLength += _bufferLength;
        _bufferLength = 0;
        _unsynced = true;
        Interlocked.Increment(ref _writeCount);
    }

    private void SyncActive()
    {
        // The interval counts from when the fsync started: everything written before then is durable.
        var started = _options.TimeProvider.GetTimestamp();
        _activeFile.Sync();
        _unsynced = false;
        _lastSyncTimestamp = started;
        Interlocked.Increment(ref _syncCount);
    }

    private void RollSegment(ulong firstLsn)
    {
        // The closed segment is synced (unless fsync is off) so that only the last segment can ever be torn.
        if (_unsynced && _options.FsyncMode != WalFsyncMode.Never)
        {
            SyncActive();
        }

        _activeFile.Dispose();
        var path = SegmentPath(_options.Directory, firstLsn);
        _activeFile = _fileSystem.OpenAppend(path);
        _segmentLength = _activeFile.Length;
        lock (_segments)
        {
            _segments.Add(new Segment(firstLsn, path));
        }
    }

    private void EnsureBuffer(int size)
    {
        if (_buffer.Length - _bufferLength >= size)
        {
            return;
        }

        var wanted = Math.Max(_buffer.Length * 2, _bufferLength + size);
        var larger = wanted <= PooledBufferBytes ? ArrayPool<byte>.Shared.Rent(wanted) : GC.AllocateUninitializedArray<byte>(wanted);
        _buffer.AsSpan(0, _bufferLength).CopyTo(larger);
        ReleaseBuffer(_buffer);
        _buffer = larger;
    }

    private void ShrinkBufferWhenIdle()
    {
        var peak = _batchPeakBytes;
        _batchPeakBytes = 0;
        if (_buffer.Length <= PooledBufferBytes)
        {
            return;
        }

        _smallBatches = peak < _buffer.Length / 4 ? _smallBatches + 1 : 0;
        if (_smallBatches >= ShrinkAfterSmallBatches)
        {
            _smallBatches = 0;
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        }
    }

    private static void ReleaseBuffer(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= PooledBufferBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void FailEverything(Exception error)
    {
        WalLog.WriteFailed(_logger, error);
        lock (_enqueueLock)
        {
            _fault = error;
            _queue.Writer.TryComplete();
        }

        // Nothing in the failed batch is acknowledged; a partly written record is cut by the next recovery.
        foreach (var request in _batch)
        {
            request.Fail(error);
        }

        _batch.Clear();
        _bufferLength = 0;
        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Fail(error);
        }
    }

    private async Task SyncTimerAsync(PeriodicTimer timer)
    {
        using var owned = timer;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        catch (IOException)
        {
            // The writer is faulted (appends see the error) or disposed; the timer has nothing left to do.
        }
        catch (ObjectDisposedException)
        {
            // Disposed between two ticks.
        }
    }
}
