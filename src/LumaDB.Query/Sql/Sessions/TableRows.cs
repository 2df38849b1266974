using System.Runtime.CompilerServices;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>A table's rows one by one, in table column order, for DDL and constraint checks that look at every row.</summary>
internal static class TableRows
{
    /// <summary>The table's columns, in table order, as a frame expressions over its rows bind to.</summary>
    public static PlanColumn[] ColumnsOf(TableDefinition table)
    {
        var types = QueryPlanner.TypesOf(table);
        return [.. table.Columns.Select((c, i) => new PlanColumn(table.Name, c.Name, types[i]))];
    }

    /// <summary>
    /// Every row of <paramref name="table"/> the transaction sees: at its snapshot, or with <paramref name="latest"/>
    /// as of the newest commit (its own writes laid over either way).
    /// </summary>
    public static async IAsyncEnumerable<object?[]> ReadAsync(
        Transaction tx, TableDefinition table, bool latest = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var columns = ColumnsOf(table);
        var batches = latest ? tx.ScanLatestAsync(table, cancellationToken: cancellationToken) : tx.ScanAsync(table, cancellationToken: cancellationToken);
        await foreach (var batch in batches.ConfigureAwait(false))
        {
            var rows = StorageValues.ToResultBatch(batch, columns);
            for (var r = 0; r < rows.RowCount; r++)
            {
                yield return BatchOps.Row(rows, r);
            }
        }
    }
}
