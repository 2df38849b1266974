using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// A SQL session over the engine: parses, plans (with a per-session plan cache keyed by statement text and
/// parameter types, invalidated when the catalog version changes) and executes statements, running each
/// statement in its own transaction unless a BEGIN block is open.
/// </summary>
public sealed partial class SqlSession : ISqlSession
{
    private const int PlanCacheLimit = 256;

    /// <summary>How many times a lone statement runs again after concurrent DDL overtook it.</summary>
    private const int CatalogRetryLimit = 8;

    private readonly Database _database;
    private readonly ISystemTableProvider? _systemTables;
    private readonly Dictionary<string, PreparedStatement> _planCache = new(StringComparer.Ordinal);
    private readonly List<(string Name, int Id)> _savepoints = [];
    private readonly SessionSequences _sequences = new();
    private Transaction? _block;

    /// <summary>Creates a session on <paramref name="database"/>; <paramref name="systemTables"/> supplies pg_catalog-style virtual tables.</summary>
    public SqlSession(Database database, ISystemTableProvider? systemTables = null, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _systemTables = systemTables;
        Settings = settings ?? new SessionSettings();
    }

    /// <inheritdoc />
    public SessionSettings Settings { get; }

    /// <inheritdoc />
    public SessionTransactionState TransactionState { get; private set; }

    /// <summary>Working memory one statement may use for sorts, hash tables and materialised inputs; 0 is unlimited. Over it the statement fails with SQLSTATE 53200.</summary>
    public long WorkMemoryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Most threads one query may use for the scan, filter, join probe and partial aggregation below a hash
    /// aggregate (the calling thread included); 1 turns parallel execution off. Defaults to the processor count.
    /// </summary>
    public int ParallelWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Rows a parallel-capable aggregate reads on one thread before it starts further workers, so small inputs
    /// (point queries, small tables) never pay for threads.
    /// </summary>
    public long ParallelMinRows { get; set; } = Execution.Operators.ParallelAggregation.DefaultMinRows;

    private StatementContext NewStatementContext(Transaction transaction, CancellationToken cancellationToken) =>
        new(transaction, Settings, _systemTables, WorkMemoryBytes, cancellationToken)
        {
            ParallelWorkers = ParallelWorkers,
            ParallelMinRows = ParallelMinRows,
            SetConfig = ApplySetConfig,
            Sequences = _sequences,
        };

    /// <summary>How many prepared plans the cache holds (for tests and diagnostics).</summary>
    public int CachedPlans => _planCache.Count;

    private CatalogSnapshot CurrentCatalog => _block?.Catalog ?? _database.Catalog;

    /// <inheritdoc />
    public PreparedStatement Prepare(string sql, IReadOnlyList<SqlType>? parameterTypes = null)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var key = CacheKey(sql, parameterTypes);
        var catalog = CurrentCatalog;
        if (_planCache.TryGetValue(key, out var cached) && cached.Plan is StatementPlan plan && plan.CatalogVersion == catalog.Version)
        {
            return cached;
        }

        PreparedStatement prepared;
        try
        {
            var script = SqlParser.ParseScript(sql);
            if (script.Statements.Count > 1)
            {
                throw new SqlException(SqlState.SyntaxError, "cannot insert multiple commands into a prepared statement");
            }

            var statement = script.Statements.Count == 0 ? EmptyStatement.Instance : script.Statements[0];
            prepared = StatementPlanner.Prepare(sql, statement, catalog, _systemTables, parameterTypes, Settings);
        }
        catch (Exception error)
        {
            // As in PostgreSQL, a statement that fails to parse or plan inside a block aborts the block.
            if (_block is not null)
            {
                TransactionState = SessionTransactionState.Failed;
            }

            throw Translate(error);
        }

        if (_planCache.Count >= PlanCacheLimit)
        {
            _planCache.Clear();
        }

        _planCache[key] = prepared;
        return prepared;
    }

    private static string CacheKey(string sql, IReadOnlyList<SqlType>? types) =>
        types is null || types.Count == 0 ? sql : sql + "\u0001" + string.Join(',', types.Select(t => t.Name + ":" + t.Modifier.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    public async ValueTask<StatementResult> ExecuteAsync(PreparedStatement statement, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(parameters);
        var syntax = statement.Syntax;
        if (syntax is TransactionStatement transaction)
        {
            return await ExecuteTransactionAsync(transaction, cancellationToken).ConfigureAwait(false);
        }

        if (TransactionState == SessionTransactionState.Failed)
        {
            throw new SqlException(SqlState.InFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block");
        }

        if (syntax is EmptyStatement)
        {
            return new StatementResult([], null, () => string.Empty);
        }

        if (syntax is SetStatement or ResetStatement or ShowStatement or SetTransactionStatement or DiscardStatement)
        {
            return ExecuteSetting(syntax);
        }

        if (syntax is MaintenanceStatement maintenance)
        {
            return await ExecuteMaintenanceAsync(maintenance, cancellationToken).ConfigureAwait(false);
        }

        if (syntax is CopyStatement)
        {
            return await ExecuteCopyAsync(statement, parameters, cancellationToken).ConfigureAwait(false);
        }

        if (_block is null && statement.Plan is QueryStatementPlan { PointLookup: { } point, Locking: null } lookup
            && await TryPointLookupAsync(point, lookup, parameters, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found;
        }

        var implicitTransaction = _block is null;
        for (var attempt = 1; ; attempt++)
        {
            var transaction2 = _block ?? _database.BeginTransaction(DefaultIsolation);
            try
            {
                StartStatement(transaction2, implicitTransaction);
                var plan = statement.Plan as StatementPlan;
                if (plan is null || plan.CatalogVersion != transaction2.Catalog.Version)
                {
                    // DDL since Prepare: plan again against the catalog this transaction sees.
                    statement = StatementPlanner.Prepare(statement.Text, syntax, transaction2.Catalog, _systemTables, statement.ParameterTypes, Settings);
                    plan = (StatementPlan)statement.Plan!;
                }

                var context = NewStatementContext(transaction2, cancellationToken);
                var outcome = await plan.ExecuteAsync(context, parameters).ConfigureAwait(false);
                if (implicitTransaction)
                {
                    await transaction2.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                var result = outcome.Batches is null
                    ? new StatementResult(outcome.Columns, null, () => outcome.CommandTag)
                    : new StatementResult(outcome.Columns, outcome.Batches, outcome.CommandTag);
                foreach (var notice in context.Notices)
                {
                    result.Notices.Add(notice);
                }

                return result;
            }
            catch (TransactionConflictException conflict) when (implicitTransaction && conflict.CatalogChanged && attempt < CatalogRetryLimit)
            {
                // Another session's DDL committed while this statement ran alone in its transaction, which left
                // nothing behind: run it again against the new catalog, as PostgreSQL's would run once the lock
                // it waited for was released, instead of failing a statement the client never grouped with anything.
                if (transaction2.IsActive)
                {
                    transaction2.Rollback();
                }
            }
            catch (Exception error)
            {
                if (implicitTransaction)
                {
                    if (transaction2.IsActive)
                    {
                        transaction2.Rollback();
                    }
                }
                else
                {
                    TransactionState = SessionTransactionState.Failed;
                }

                throw Translate(error);
            }
        }
    }

    private static async ValueTask CommitAsync(Transaction transaction, CancellationToken cancellationToken)
    {
        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionConflictException error)
        {
            throw new SqlException(SqlState.SerializationFailure, "could not serialize access due to concurrent update", detail: error.Message);
        }
    }

    /// <summary>
    /// A primary-key point lookup outside a block: the read runs in its own read-only transaction without a
    /// statement context or outcome, and the row comes back materialised. Null when the plan is out of date for
    /// the transaction's catalog (the general path plans again).
    /// </summary>
    private async ValueTask<StatementResult?> TryPointLookupAsync(
        PointLookupPlan point, QueryStatementPlan plan, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        var transaction = _database.BeginTransaction(DefaultIsolation);
        try
        {
            if (plan.CatalogVersion != transaction.Catalog.Version)
            {
                return null;
            }

            StartStatement(transaction, true);
            var batch = await point.ReadAsync(transaction, parameters, cancellationToken).ConfigureAwait(false);
            return new StatementResult(plan.Columns, [batch], PointLookupPlan.TagOf(batch));
        }
        catch (Exception error)
        {
            throw Translate(error);
        }
        finally
        {
            // Read-only: ending it is what a commit would do (nothing to apply), without the commit's bookkeeping.
            transaction.Rollback();
        }
    }

    /// <summary>Maps engine and runtime exceptions to SQLSTATE errors.</summary>
    internal static Exception Translate(Exception error) => error switch
    {
        SqlException or SqlSyntaxException => error,
        CatalogException c => new SqlException(
            c.Kind switch
            {
                CatalogErrorKind.AlreadyExists => SqlState.DuplicateTable,
                CatalogErrorKind.NotFound => SqlState.UndefinedTable,
                CatalogErrorKind.HasDependents => SqlState.DependentObjectsStillExist,
                CatalogErrorKind.InvalidValue => SqlState.InvalidParameterValue,
                CatalogErrorKind.NotNullViolation => SqlState.NotNullViolation,
                _ => SqlState.InvalidTableDefinition,
            },
            c.Message),
        TransactionConflictException t => new SqlException(SqlState.SerializationFailure, "could not serialize access due to concurrent update", detail: t.Message),
        DeadlockDetectedException d => new SqlException(SqlState.DeadlockDetected, "deadlock detected", detail: d.Message),
        LockNotAvailableException => new SqlException(SqlState.LockNotAvailable, "canceling statement due to lock timeout"),
        OperationCanceledException => new SqlException(SqlState.QueryCanceled, "canceling statement due to user request"),
        DivideByZeroException => new SqlException(SqlState.DivisionByZero, "division by zero"),
        OverflowException => new SqlException(SqlState.NumericValueOutOfRange, "value out of range"),
        _ => new SqlException(SqlState.InternalError, error.Message),
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_block is { IsActive: true } block)
        {
            block.Rollback();
        }

        _block = null;
        return ValueTask.CompletedTask;
    }
}
