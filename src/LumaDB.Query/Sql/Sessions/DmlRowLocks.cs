using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// Row locking for UPDATE and DELETE: each target row is locked before it is written, and when another
/// transaction committed a newer version meanwhile (READ COMMITTED), the newest version is checked against the
/// statement's WHERE again and, if it still matches, is the row the statement works on (PostgreSQL's
/// EvalPlanQual).
/// </summary>
internal static class DmlRowLocks
{
    /// <summary>
    /// Locks the row <paramref name="current"/> (as the statement's snapshot shows it) and returns the row to
    /// write: <paramref name="current"/> itself when nobody changed it, the newest committed version when it
    /// changed and still matches, or null when it is gone or no longer matches.
    /// </summary>
    public static async ValueTask<(object?[]? Row, bool Changed)> LockTargetAsync(DmlPlan plan, StatementContext context, QueryRuntime runtime, object?[] current)
    {
        var layout = plan.Table.Layout;
        var key = Shard.PrimaryKeyOf(layout, StorageValues.Encode(layout, plan.Types, current));
        var locked = await context.Transaction.LockRowAsync(plan.Table, key, cancellationToken: context.Cancellation).ConfigureAwait(false);
        if (!locked.Changed)
        {
            return (current, false);
        }

        if (locked.Row is null)
        {
            return (null, true);
        }

        var latest = StorageValues.Decode(layout, plan.Types, locked.Row);
        if (plan.Source is ScanNode { Filter: { } filter } scan)
        {
            var single = BatchOps.FromRows(scan.Columns, [latest]);
            var keep = BatchOps.Evaluate(runtime, filter, single);
            if (keep.IsNull(0) || !keep.As<bool>()[0])
            {
                return (null, true);
            }
        }

        return (latest, true);
    }

    /// <summary>The UPDATE SET values computed over one row (a re-read newest version).</summary>
    public static object?[] Assign(DmlPlan plan, QueryRuntime runtime, object?[] row)
    {
        var single = BatchOps.FromRows(plan.Source.Columns, [row]);
        var updated = (object?[])row.Clone();
        foreach (var (column, value) in plan.Assignments)
        {
            updated[column] = BatchOps.Evaluate(runtime, value, single).GetValue(0);
        }

        return updated;
    }

    /// <summary>
    /// Locks a primary key an INSERT (or a key-changing UPDATE) is about to take, waiting for a transaction
    /// that wrote it and has not ended, and returns the row under the key now (own write or newest committed).
    /// </summary>
    public static async ValueTask<byte[]?> LockNewKeyAsync(DmlPlan plan, StatementContext context, byte[] key)
    {
        var locked = await context.Transaction.LockRowAsync(plan.Table, key, allowChanged: true, context.Cancellation).ConfigureAwait(false);
        return locked.Row;
    }
}
