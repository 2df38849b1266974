namespace LumaDB.Engine.Transactions;

/// <summary>
/// First-committer-wins bookkeeping between the conflict check and the moment a commit is visible: which keys
/// and tables commits in flight write, and the last commit seq of each table since the database opened.
/// </summary>
/// <remarks>
/// A commit checks and registers under <see cref="Gate"/>, then appends to the WAL outside it (so fsyncs
/// group); a later commit that overlaps one in flight loses, because the one in flight will commit after its
/// snapshot.
/// </remarks>
internal sealed class CommitCoordinator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], int> _keys = new(ByteKeyComparer.Instance);
    private readonly Dictionary<ulong, int> _tables = [];
    private readonly HashSet<ulong> _wholeTables = [];
    private readonly Dictionary<ulong, ulong> _lastCommit = [];

    /// <summary>Serializes conflict checks (and whole DDL commits).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Throws when the plan overlaps a commit in flight or, for whole tables, any commit after its snapshot.</summary>
    public void CheckInFlight(CommitPlan plan)
    {
        lock (_lock)
        {
            foreach (var table in plan.WholeTables)
            {
                if (_tables.ContainsKey(table) || _wholeTables.Contains(table)
                    || _lastCommit.GetValueOrDefault(table) > plan.SnapshotSeq)
                {
                    throw new TransactionConflictException();
                }
            }

            foreach (var (layout, key, _) in plan.Keys)
            {
                if (_wholeTables.Contains(layout.TableId) || _keys.ContainsKey(Combine(layout.TableId, key)))
                {
                    throw new TransactionConflictException();
                }
            }
        }
    }

    /// <summary>Marks the plan's keys and tables as in flight.</summary>
    public void Register(CommitPlan plan)
    {
        lock (_lock)
        {
            foreach (var (layout, key, _) in plan.Keys)
            {
                var combined = Combine(layout.TableId, key);
                _keys[combined] = _keys.GetValueOrDefault(combined) + 1;
            }

            foreach (var table in plan.TablesWritten)
            {
                _tables[table] = _tables.GetValueOrDefault(table) + 1;
            }

            _wholeTables.UnionWith(plan.WholeTables);
        }
    }

    /// <summary>Records the commit seq (0 when the commit failed) and takes the plan out of flight.</summary>
    public void Complete(CommitPlan plan, ulong seq)
    {
        lock (_lock)
        {
            foreach (var table in plan.TablesWritten)
            {
                if (seq > 0)
                {
                    _lastCommit[table] = Math.Max(_lastCommit.GetValueOrDefault(table), seq);
                }

                if (--_tables[table] == 0)
                {
                    _tables.Remove(table);
                }
            }

            foreach (var (layout, key, _) in plan.Keys)
            {
                var combined = Combine(layout.TableId, key);
                if (--_keys[combined] == 0)
                {
                    _keys.Remove(combined);
                }
            }

            _wholeTables.ExceptWith(plan.WholeTables);
        }
    }

    private static byte[] Combine(ulong table, byte[] key)
    {
        var combined = new byte[8 + key.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(combined, table);
        key.CopyTo(combined, 8);
        return combined;
    }
}
