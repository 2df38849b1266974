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
    private int _connections;

    /// <summary>Open connections, counted from accept (startup included) to close, as PostgreSQL counts backends.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Counts one more connection; false (and nothing counted) when <paramref name="limit"/> are already open.</summary>
    public bool TryOpenConnection(int limit)
    {
        while (true)
        {
            var open = Volatile.Read(ref _connections);
            if (open >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _connections, open + 1, open) == open)
            {
                return true;
            }
        }
    }

    /// <summary>Frees the slot of a connection <see cref="TryOpenConnection"/> counted.</summary>
    public void CloseConnection() => Interlocked.Decrement(ref _connections);

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
        private volatile bool _userCancel;
        private bool _deadlineArmed;

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
                _userCancel = false;
                _deadlineArmed = false;
            }
            else
            {
                // The last statement finished in time: its deadline must not fire into the next one.
                DisarmStatementTimeout();
            }
        }

        /// <summary>Cancels the running statement once <paramref name="timeout"/> passes (statement_timeout).</summary>
        public void ArmStatementTimeout(TimeSpan timeout)
        {
            _query.CancelAfter(timeout);
            _deadlineArmed = true;
        }

        /// <summary>Stops an armed statement_timeout from firing (its statement ended, or the setting was turned off between statements).</summary>
        public void DisarmStatementTimeout()
        {
            if (_deadlineArmed && !_query.IsCancellationRequested)
            {
                _query.CancelAfter(Timeout.InfiniteTimeSpan);
                _deadlineArmed = false;
            }
        }

        /// <summary>Whether the cancellation came from statement_timeout rather than a CancelRequest.</summary>
        public bool CancelledByTimeout => _query.IsCancellationRequested && !_userCancel;

        internal void CancelRunningQuery()
        {
            _userCancel = true;
            _query.Cancel();
        }

        /// <inheritdoc />
        public void Dispose() => _query.Dispose();
    }
}
