using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// VACUUM and ANALYZE. Storage has no dead tuples to reclaim (old versions go at compaction), so VACUUM
/// checks its tables and flushes the memtable to segments, which is what makes recent rows cheap to scan;
/// ANALYZE checks its tables (the planner keeps no statistics yet).
/// </summary>
public sealed partial class SqlSession
{
    private async ValueTask<StatementResult> ExecuteMaintenanceAsync(MaintenanceStatement statement, CancellationToken cancellationToken)
    {
        if (statement.Vacuum && _block is not null)
        {
            TransactionState = SessionTransactionState.Failed;
            throw new SqlException(SqlState.ActiveTransaction, "VACUUM cannot run inside a transaction block");
        }

        foreach (var option in statement.Options)
        {
            if (option.Name is not ("full" or "freeze" or "verbose" or "analyze" or "skip_locked" or "index_cleanup" or "process_toast" or "truncate" or "parallel" or "disable_page_skipping"))
            {
                throw new SqlException(SqlState.SyntaxError, $"unrecognized {(statement.Vacuum ? "VACUUM" : "ANALYZE")} option \"{option.Name}\"");
            }
        }

        var catalog = CurrentCatalog;
        foreach (var name in statement.Tables)
        {
            if (catalog.FindTable(name.Schema ?? CatalogSnapshot.PublicSchema, name.Name) is null)
            {
                throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', name.Parts)}\" does not exist");
            }
        }

        if (statement.Vacuum)
        {
            await _database.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var tag = statement.Vacuum ? "VACUUM" : "ANALYZE";
        return new StatementResult([], null, () => tag);
    }
}
