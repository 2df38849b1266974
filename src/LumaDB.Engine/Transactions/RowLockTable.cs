using System.Buffers.Binary;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// Row locks held from the write (or SELECT FOR UPDATE, or a foreign-key check) to commit or rollback, exclusive
/// or shared. Shared holders (transactions that checked a referenced row exists) exclude an exclusive holder but
/// not each other. A transaction asking for a lock it cannot have queues and waits asynchronously, first come
/// first served; a wait that would close a cycle of waiters fails at once with <see cref="DeadlockDetectedException"/>.
/// </summary>
/// <remarks>
/// Each transaction waits for at most one lock at a time; a wait is on every holder of that lock. Every new wait
/// first searches the holders, the locks they wait for and those locks' holders for the asking transaction, so no
/// cycle is ever formed.
/// </remarks>
internal sealed class RowLockTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], Entry> _entries = new(ByteKeyComparer.Instance);

    /// <summary>Locks currently held (for diagnostics and tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The lock key of a row: table id then primary key.</summary>
    public static byte[] KeyOf(ulong tableId, ReadOnlySpan<byte> primaryKey)
    {
        var combined = new byte[8 + primaryKey.Length];
        BinaryPrimitives.WriteUInt64BigEndian(combined, tableId);
        primaryKey.CopyTo(combined.AsSpan(8));
        return combined;
    }

    /// <summary>Takes the lock exclusively for <paramref name="owner"/>, waiting while another transaction holds it in any mode.</summary>
    /// <exception cref="DeadlockDetectedException">The wait would close a cycle.</exception>
    /// <exception cref="LockNotAvailableException">Not granted within <paramref name="timeout"/>.</exception>
    public ValueTask AcquireAsync(Transaction owner, byte[] key, TimeSpan timeout, CancellationToken cancellationToken) =>
        AcquireAsync(owner, key, shared: false, timeout, cancellationToken);

    /// <summary>Takes the lock shared for <paramref name="owner"/>, waiting while another transaction holds it exclusively or waits for it.</summary>
    /// <exception cref="DeadlockDetectedException">The wait would close a cycle.</exception>
    /// <exception cref="LockNotAvailableException">Not granted within <paramref name="timeout"/>.</exception>
    public ValueTask AcquireSharedAsync(Transaction owner, byte[] key, TimeSpan timeout, CancellationToken cancellationToken) =>
        AcquireAsync(owner, key, shared: true, timeout, cancellationToken);

    private async ValueTask AcquireAsync(Transaction owner, byte[] key, bool shared, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry();
                _entries.Add(key, entry);
                Grant(entry, key, owner, shared);
                return;
            }

            if (ReferenceEquals(entry.Owner, owner) || (shared && entry.IsSharer(owner)))
            {
                return;
            }

            // Granted now when compatible and nobody queued first (so a queued exclusive request is not starved),
            // or when a lone shared holder upgrades (queueing it behind those waiting for it would be a deadlock).
            if ((entry.Waiters.Count == 0 || entry.IsSharer(owner)) && CanGrant(entry, owner, shared))
            {
                Grant(entry, key, owner, shared);
                return;
            }

            if (WouldDeadlock(entry, owner))
            {
                throw new DeadlockDetectedException("deadlock detected: a transaction waiting for this one holds the row lock asked for");
            }

            waiter = new Waiter(owner, shared);
            entry.Waiters.AddLast(waiter);
            owner.WaitingFor = entry;
        }

        try
        {
            var wait = waiter.Granted.Task;
            await (timeout > TimeSpan.Zero ? wait.WaitAsync(timeout, cancellationToken) : wait.WaitAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (waiter.Granted.Task.IsCompletedSuccessfully)
                {
                    // Granted just as the wait gave up: the lock is held and goes at commit or rollback.
                    owner.WaitingFor = null;
                }
                else if (owner.WaitingFor is { } entry)
                {
                    entry.Waiters.Remove(waiter);
                    owner.WaitingFor = null;

                    // Those queued behind the one that gave up may be compatible now.
                    GrantWaiters(entry, key);
                }
            }

            if (error is TimeoutException)
            {
                throw new LockNotAvailableException();
            }

            throw;
        }
    }

    /// <summary>Releases every lock <paramref name="owner"/> holds, handing each to the waiters it can go to.</summary>
    public void ReleaseAll(Transaction owner)
    {
        lock (_lock)
        {
            foreach (var key in owner.HeldLocks)
            {
                if (!_entries.TryGetValue(key, out var entry))
                {
                    continue;
                }

                if (ReferenceEquals(entry.Owner, owner))
                {
                    entry.Owner = null;
                }

                entry.RemoveSharer(owner);
                GrantWaiters(entry, key);
                if (entry.Owner is null && entry.SharerCount == 0 && entry.Waiters.Count == 0)
                {
                    _entries.Remove(key);
                }
            }

            owner.HeldLocks.Clear();
        }
    }

    /// <summary>An exclusive request needs no other holder (its own shared hold is upgraded); a shared one no exclusive holder.</summary>
    private static bool CanGrant(Entry entry, Transaction asking, bool shared) =>
        shared
            ? entry.Owner is null || ReferenceEquals(entry.Owner, asking)
            : entry.Owner is null && (entry.SharerCount == 0 || (entry.SharerCount == 1 && entry.IsSharer(asking)));

    private static void Grant(Entry entry, byte[] key, Transaction owner, bool shared)
    {
        if (shared)
        {
            entry.AddSharer(owner);
        }
        else
        {
            entry.Owner = owner;
            entry.RemoveSharer(owner);
        }

        owner.HeldLocks.Add(key);
    }

    /// <summary>Grants queued requests in order while they are compatible with the holders.</summary>
    private static void GrantWaiters(Entry entry, byte[] key)
    {
        while (entry.Waiters.First is { } first && CanGrant(entry, first.Value.Owner, first.Value.Shared))
        {
            entry.Waiters.RemoveFirst();
            var next = first.Value;
            Grant(entry, key, next.Owner, next.Shared);
            next.Owner.WaitingFor = null;
            next.Granted.TrySetResult();
        }
    }

    /// <summary>
    /// Whether <paramref name="asking"/> queueing on <paramref name="entry"/> would close a cycle. A queued
    /// transaction waits on the lock's holders and on those queued ahead of it; following those edges from the
    /// new wait must not lead back to <paramref name="asking"/>.
    /// </summary>
    private static bool WouldDeadlock(Entry entry, Transaction asking)
    {
        var seen = new HashSet<Transaction>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Transaction>();
        Push(entry, null);
        while (pending.TryPop(out var next))
        {
            if (ReferenceEquals(next, asking))
            {
                return true;
            }

            if (next.WaitingFor is { } waited)
            {
                Push(waited, next);
            }
        }

        return false;

        void Push(Entry waitedOn, Transaction? waiting)
        {
            foreach (var holder in waitedOn.Holders())
            {
                // A shared holder asking to upgrade waits on the other holders, not on itself.
                if (!(waiting is null && ReferenceEquals(holder, asking)) && seen.Add(holder))
                {
                    pending.Push(holder);
                }
            }

            foreach (var ahead in waitedOn.Waiters)
            {
                if (ReferenceEquals(ahead.Owner, waiting))
                {
                    break;
                }

                if (seen.Add(ahead.Owner))
                {
                    pending.Push(ahead.Owner);
                }
            }
        }
    }

    /// <summary>One locked row: its exclusive owner or its shared holders, and the queue of waiters.</summary>
    internal sealed class Entry
    {
        public Transaction? Owner { get; set; }

        // Most locks are only ever exclusive; the set is made for the first shared holder.
        private HashSet<Transaction>? _sharers;

        public int SharerCount => _sharers?.Count ?? 0;

        public bool IsSharer(Transaction transaction) => _sharers?.Contains(transaction) == true;

        public void AddSharer(Transaction transaction) => (_sharers ??= new(ReferenceEqualityComparer.Instance)).Add(transaction);

        public void RemoveSharer(Transaction transaction) => _sharers?.Remove(transaction);

        public LinkedList<Waiter> Waiters { get; } = new();

        public IEnumerable<Transaction> Holders() => Owner is { } owner ? [owner, .. _sharers ?? []] : _sharers ?? [];
    }

    /// <summary>A transaction waiting for a lock, and in which mode.</summary>
    internal sealed class Waiter(Transaction owner, bool shared)
    {
        public Transaction Owner { get; } = owner;

        public bool Shared { get; } = shared;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
