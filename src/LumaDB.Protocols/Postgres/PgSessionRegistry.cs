using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The live sessions by backend key, so a CancelRequest arriving on another connection can find and cancel
/// the running query of the session whose process id and secret it quotes.
/// </summary>
public sealed class PgSessionRegistry
{
    private readonly ConcurrentDictionary<int, Entry> _sessions = new();
    private int _nextProcessId = Environment.ProcessId * 1000 % 1_000_000;

    /// <summary>Number of sessions that completed startup and are still open.</summary>
    public int Count => _sessions.Count;

    /// <summary>Registers a new session and hands out its backend key.</summary>
    public Entry Add()
    {
        while (true)
        {
            var entry = new Entry(Interlocked.Increment(ref _nextProcessId) & 0x7FFFFFFF, RandomNumberGenerator.GetInt32(int.MaxValue));
            if (_sessions.TryAdd(entry.ProcessId, entry))
            {
                return entry;
            }
        }
    }

    /// <summary>Forgets a session.</summary>
    public void Remove(Entry entry)
    {
        _sessions.TryRemove(entry.ProcessId, out _);
        entry.Dispose();
    }

    /// <summary>Cancels the running query of the session with this key; a wrong secret does nothing, silently.</summary>
    public bool Cancel(int processId, int secretKey)
    {
        if (_sessions.TryGetValue(processId, out var entry) && entry.SecretKey == secretKey)
        {
            entry.CancelRunningQuery();
            return true;
        }

        return false;
    }

    /// <summary>A registered session.</summary>
    public sealed class Entry(int processId, int secretKey) : IDisposable
    {
        private CancellationTokenSource _query = new();

        /// <summary>The process id clients quote.</summary>
        public int ProcessId { get; } = processId;

        /// <summary>The secret clients quote.</summary>
        public int SecretKey { get; } = secretKey;

        /// <summary>Cancelled when a CancelRequest for this session arrives; renewed per query.</summary>
        public CancellationToken QueryCancellation => _query.Token;

        /// <summary>Starts a fresh cancellation scope after a query finished.</summary>
        public void Touch()
        {
            if (_query.IsCancellationRequested)
            {
                _query.Dispose();
                _query = new CancellationTokenSource();
            }
        }

        internal void CancelRunningQuery() => _query.Cancel();

        /// <inheritdoc />
        public void Dispose() => _query.Dispose();
    }
}
