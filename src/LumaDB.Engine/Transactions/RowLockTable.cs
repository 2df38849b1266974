using System.Buffers.Binary;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// Exclusive row locks held from the write (or SELECT FOR UPDATE) to commit or rollback. A second transaction
/// asking for a held lock queues and waits asynchronously, first come first served; a wait that would close a
/// cycle of waiters fails at once with <see cref="DeadlockDetectedException"/>.
/// </summary>
/// <remarks>
/// Each transaction waits for at most one lock at a time, so the wait-for graph is a set of chains: following
/// owner -> the lock it waits for -> that lock's owner from the lock asked for finds any cycle the new wait
/// would close. Every wait runs this check, so no cycle is ever formed.
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

    /// <summary>Takes the lock for <paramref name="owner"/>, waiting while another transaction holds it.</summary>
    /// <exception cref="DeadlockDetectedException">The wait would close a cycle.</exception>
    /// <exception cref="LockNotAvailableException">Not granted within <paramref name="timeout"/>.</exception>
    public async ValueTask AcquireAsync(Transaction owner, byte[] key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries.Add(key, new Entry(owner));
                owner.HeldLocks.Add(key);
                return;
            }

            if (ReferenceEquals(entry.Owner, owner))
            {
                return;
            }

            for (var other = entry.Owner; other is not null; other = other.WaitingFor?.Owner)
            {
                if (ReferenceEquals(other, owner))
                {
                    throw new DeadlockDetectedException("deadlock detected: a transaction waiting for this one holds the row lock asked for");
                }
            }

            waiter = new Waiter(owner);
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
                else
                {
                    owner.WaitingFor?.Waiters.Remove(waiter);
                    owner.WaitingFor = null;
                }
            }

            if (error is TimeoutException)
            {
                throw new LockNotAvailableException();
            }

            throw;
        }
    }

    /// <summary>Releases every lock <paramref name="owner"/> holds, handing each to its first waiter.</summary>
    public void ReleaseAll(Transaction owner)
    {
        lock (_lock)
        {
            foreach (var key in owner.HeldLocks)
            {
                if (!_entries.TryGetValue(key, out var entry) || !ReferenceEquals(entry.Owner, owner))
                {
                    continue;
                }

                if (entry.Waiters.First is { } first)
                {
                    entry.Waiters.RemoveFirst();
                    var next = first.Value;
                    entry.Owner = next.Owner;
                    next.Owner.WaitingFor = null;
                    next.Owner.HeldLocks.Add(key);
                    next.Granted.TrySetResult();
                }
                else
                {
                    _entries.Remove(key);
                }
            }

            owner.HeldLocks.Clear();
        }
    }

    /// <summary>One locked row: its owner and the queue of waiters.</summary>
    internal sealed class Entry(Transaction owner)
    {
        public Transaction Owner { get; set; } = owner;

        public LinkedList<Waiter> Waiters { get; } = new();
    }

    /// <summary>A transaction waiting for a lock.</summary>
    internal sealed class Waiter(Transaction owner)
    {
        public Transaction Owner { get; } = owner;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
