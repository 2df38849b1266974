using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// A planned COPY. COPY TO runs <see cref="Query"/> (the table's columns or the given query) and streams its
/// rows; COPY FROM carries what a row needs to become a table row: the target columns, their types, and the
/// defaults of the columns the data leaves out.
/// </summary>
internal sealed class CopyPlan : StatementPlan
{
    public CopyPlan(ulong catalogVersion, string tableName, CopyOptions options, QueryStatementPlan query)
        : base(catalogVersion)
    {
        TableName = tableName;
        Options = options;
        Query = query;
        Columns = query.Columns;
    }

    public CopyPlan(ulong catalogVersion, TableDefinition table, CopyOptions options, int[] targetColumns, IReadOnlyList<ResultColumn> columns, BoundExpression?[] defaults)
        : base(catalogVersion)
    {
        TableName = table.Name;
        Table = table;
        Options = options;
        TargetColumns = targetColumns;
        Columns = columns;
        Defaults = defaults;
    }

    public string TableName { get; }

    public CopyOptions Options { get; }

    /// <summary>COPY TO: the rows to send.</summary>
    public QueryStatementPlan? Query { get; }

    /// <summary>COPY FROM: the table to load.</summary>
    public TableDefinition? Table { get; }

    /// <summary>COPY FROM: for each data column, the table column it fills.</summary>
    public int[] TargetColumns { get; } = [];

    /// <summary>The data columns (COPY FROM: the targets; COPY TO: the query's output).</summary>
    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>COPY FROM: default expressions by table column (null for NULL).</summary>
    public BoundExpression?[] Defaults { get; } = [];

    /// <summary>COPY FROM: the table's CHECK constraints bound over its columns.</summary>
    public (string Name, BoundExpression Condition)[] Checks { get; init; } = [];

    /// <summary>COPY FROM: the table's unique indexes, given an entry for every row copied in.</summary>
    public UniqueIndexes? Uniques { get; init; }

    /// <summary>COPY FROM: the FOREIGN KEY constraints the table declares; each row's references are checked when the COPY completes.</summary>
    public ReferentialIntegrity? References { get; init; }

    public bool IsFrom => Table is not null;

    public override async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters)
    {
        if (Query is null)
        {
            throw new InvalidOperationException("COPY FROM runs through a copy sink");
        }

        var outcome = await Query.ExecuteAsync(context, parameters).ConfigureAwait(false);
        var rows = outcome.Batches?.Sum(b => (long)b.RowCount) ?? 0;
        return outcome with { CommandTag = "COPY " + rows.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }
}
