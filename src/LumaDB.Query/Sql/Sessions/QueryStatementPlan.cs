using System.Globalization;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>A SELECT (or VALUES) statement.</summary>
internal sealed class QueryStatementPlan(ulong catalogVersion, PlanNode root, IReadOnlyList<ScanNode> scans, IReadOnlyList<ResultColumn> columns)
    : StatementPlan(catalogVersion)
{
    public PlanNode Root { get; } = root;

    public IReadOnlyList<ScanNode> Scans { get; } = scans;

    public IReadOnlyList<ResultColumn> Columns { get; } = columns;

    /// <summary>The single-row primary-key lookup shortcut, when the query has that shape.</summary>
    public PointLookupPlan? PointLookup { get; } = PointLookupPlan.TryCreate(root);

    /// <summary>FOR UPDATE / SHARE: how a row lock held by another transaction is waited for; null without a locking clause.</summary>
    public LockWaitPolicy? Locking { get; init; }

    public override async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters)
    {
        if (PointLookup is { } point && Locking is null)
        {
            return await point.ExecuteAsync(context, Columns, parameters).ConfigureAwait(false);
        }

        var runtime = await context.StartAsync(Scans, parameters).ConfigureAwait(false);
        if (Locking is { } policy && await SelectRowLocks.LockAsync(Scans, runtime, context, policy).ConfigureAwait(false))
        {
            // A locked row changed after the snapshot: read again; the locked rows now show their newest version.
            context.Transaction.BeginStatement();
            runtime = await context.StartAsync(Scans, parameters).ConfigureAwait(false);
        }

        var batches = Root.Run(runtime).ToList();
        var rows = batches.Sum(b => (long)b.RowCount);
        return new StatementOutcome(Columns, batches, "SELECT " + rows.ToString(CultureInfo.InvariantCulture));
    }
}
