using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>COPY: TO STDOUT streams a query's rows with the COPY options; FROM STDIN hands the protocol a sink.</summary>
public sealed partial class SqlSession
{
    private async ValueTask<StatementResult> ExecuteCopyAsync(PreparedStatement statement, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var implicitTransaction = _block is null;
        var transaction = _block ?? _database.BeginTransaction();
        try
        {
            var plan = statement.Plan as StatementPlan;
            if (plan is null || plan.CatalogVersion != transaction.Catalog.Version)
            {
                statement = StatementPlanner.Prepare(statement.Text, statement.Syntax, transaction.Catalog, _systemTables, statement.ParameterTypes, Settings);
                plan = (StatementPlan)statement.Plan!;
            }

            var copy = (CopyPlan)plan;
            var context = NewStatementContext(transaction, cancellationToken);
            if (!copy.IsFrom)
            {
                var outcome = await copy.ExecuteAsync(context, parameters).ConfigureAwait(false);
                if (implicitTransaction)
                {
                    await CommitAsync(transaction, cancellationToken).ConfigureAwait(false);
                }

                return new StatementResult(outcome.Columns, outcome.Batches ?? [], outcome.CommandTag) { CopyOut = copy.Options };
            }

            var runtime = await context.StartAsync([], parameters).ConfigureAwait(false);
            var sink = new CopyInSink(this, transaction, implicitTransaction, copy, runtime);
            return new StatementResult([], null, () => sink.CommandTag) { CopyIn = sink };
        }
        catch (Exception error)
        {
            EndFailedCopy(transaction, implicitTransaction);
            throw Translate(error);
        }
    }

    /// <summary>A COPY failed: its own transaction is rolled back, or the block it ran in is failed.</summary>
    internal void EndFailedCopy(Transaction transaction, bool implicitTransaction)
    {
        if (implicitTransaction)
        {
            if (transaction.IsActive)
            {
                transaction.Rollback();
            }
        }
        else
        {
            TransactionState = SessionTransactionState.Failed;
        }
    }

    /// <summary>Commits a COPY's own transaction.</summary>
    internal static ValueTask CommitCopyAsync(Transaction transaction, CancellationToken cancellationToken) => CommitAsync(transaction, cancellationToken);

    /// <summary>Maps an exception to its SQLSTATE error (for the copy sink).</summary>
    internal static SqlException TranslateForCopy(Exception error) => Translate(error) as SqlException ?? new SqlException(SqlState.InternalError, error.Message);
}
