namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// What executing one statement produced: output columns and a stream of row batches (for statements that
/// return rows), then a command tag. Protocols pull the rows at their own pace, which is how PostgreSQL
/// portals with row limits are served.
/// </summary>
public sealed class StatementResult : IAsyncDisposable
{
    private readonly Func<string> _commandTag;

    /// <summary>Creates a result.</summary>
    /// <param name="columns">Output columns (empty for no rows).</param>
    /// <param name="rows">The rows, or null when the statement returns none.</param>
    /// <param name="commandTag">Computes the tag (<c>SELECT 3</c>, <c>INSERT 0 2</c>); called once the rows are exhausted.</param>
    public StatementResult(IReadOnlyList<ResultColumn> columns, IAsyncEnumerable<ResultBatch>? rows, Func<string> commandTag)
    {
        Columns = columns;
        Rows = rows;
        _commandTag = commandTag;
    }

    /// <summary>Output columns; empty when the statement returns no rows.</summary>
    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>The rows, or null when the statement returns none.</summary>
    public IAsyncEnumerable<ResultBatch>? Rows { get; }

    /// <summary>COPY TO STDOUT: how to format <see cref="Rows"/> as COPY data (the rows are sent as CopyData, not DataRow).</summary>
    public CopyOptions? CopyOut { get; init; }

    /// <summary>COPY FROM STDIN: where the client's data goes; the protocol feeds it and completes or aborts it.</summary>
    public ICopyIn? CopyIn { get; init; }

    /// <summary>Notices raised while executing (for example "table does not exist, skipping").</summary>
    public IList<string> Notices { get; } = [];

    /// <summary>The command tag; valid once <see cref="Rows"/> has been enumerated to its end.</summary>
    public string CommandTag => _commandTag();

    /// <summary>Releases what the row stream holds if it was not enumerated to its end.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
