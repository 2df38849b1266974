using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// SELECT ... FOR UPDATE / SHARE: every row of the query's tables that passes its table's filter is locked
/// (exclusively; every strength takes the same lock) before the result is computed. When a locked row had a
/// newer committed version (READ COMMITTED), the statement reads again at a fresh snapshot, which now shows the
/// newest version of every locked row; under REPEATABLE READ such a row fails with 40001.
/// </summary>
internal static class SelectRowLocks
{
    /// <summary>Locks the rows the loaded scans of <paramref name="runtime"/> yield; true when one of them changed since the snapshot.</summary>
    public static async ValueTask<bool> LockAsync(
        IReadOnlyList<ScanNode> scans, QueryRuntime runtime, StatementContext context, LockWaitPolicy policy)
    {
        if (policy == LockWaitPolicy.SkipLocked)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "SKIP LOCKED is not supported");
        }

        var transaction = context.Transaction;
        var previousTimeout = transaction.LockTimeout;
        if (policy == LockWaitPolicy.NoWait)
        {
            transaction.LockTimeout = TimeSpan.FromMilliseconds(1);
        }

        try
        {
            var changed = false;
            foreach (var scan in scans)
            {
                var table = scan.Table;
                var types = QueryPlanner.TypesOf(table);
                var layout = table.Layout;

                // Where each key column of the table sits among the scan's columns.
                var positions = table.PrimaryKey.Select(k => IndexOf(scan.Columns, k + 1)).ToArray();
                if (!runtime.ScanData.TryGetValue(scan, out var batches) || positions.Any(p => p < 0))
                {
                    continue;
                }

                foreach (var loaded in batches)
                {
                    var batch = scan.Filter is null ? loaded : BatchOps.Filter(loaded, BatchOps.Evaluate(runtime, scan.Filter, loaded));
                    for (var r = 0; r < batch.RowCount; r++)
                    {
                        var values = new object?[types.Length];
                        for (var k = 0; k < positions.Length; k++)
                        {
                            values[table.PrimaryKey[k]] = batch.Columns[positions[k]].GetValue(r);
                        }

                        var key = Shard.PrimaryKeyOf(layout, StorageValues.Encode(layout, types, values));
                        var locked = await transaction.LockRowAsync(table, key, cancellationToken: context.Cancellation).ConfigureAwait(false);
                        changed |= locked.Changed;
                    }
                }
            }

            return changed;
        }
        finally
        {
            transaction.LockTimeout = previousTimeout;
        }
    }

    private static int IndexOf(IReadOnlyList<PlanColumn> columns, int columnNumber)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].ColumnNumber == columnNumber)
            {
                return i;
            }
        }

        return -1;
    }
}
