using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace LumaDB.Storage.Wal;

/// <summary>
/// One queued append (or sync request) and the awaitable its caller waits on. Pooled, so an append costs no
/// allocation once the pool is warm.
/// </summary>
internal sealed class WalAppendRequest : IValueTaskSource<ulong>
{
    private const int MaxPooled = 4096;
    private static readonly ConcurrentQueue<WalAppendRequest> Pool = new();
    private static int _pooledCount;

    private ManualResetValueTaskSourceCore<ulong> _core;

    private WalAppendRequest()
    {
        // Continuations must not run on the writer loop, or one slow caller would stall every commit.
        _core.RunContinuationsAsynchronously = true;
    }

    public ulong Lsn { get; set; }

    public byte Type { get; set; }

    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>True for a request that only asks for an fsync of what was written before it.</summary>
    public bool IsSync { get; set; }

    public static WalAppendRequest Rent()
    {
        if (Pool.TryDequeue(out var request))
        {
            Interlocked.Decrement(ref _pooledCount);
            return request;
        }

        return new WalAppendRequest();
    }

    public ValueTask<ulong> AsValueTask() => new(this, _core.Version);

    public void Succeed(ulong lsn) => _core.SetResult(lsn);

    public void Fail(Exception error) => _core.SetException(error);

    public ulong GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Payload = default;
            IsSync = false;
            if (Interlocked.Increment(ref _pooledCount) <= MaxPooled)
            {
                Pool.Enqueue(this);
            }
            else
            {
                Interlocked.Decrement(ref _pooledCount);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
