namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// What executing one statement produced: output columns and a stream of row batches (for statements that
/// return rows), then a command tag. Protocols pull the rows at their own pace, which is how PostgreSQL
/// portals with row limits are served.
/// </summary>
public sealed class StatementResult : IAsyncDisposable
{
    private readonly Func<string>? _commandTag;
    private readonly string? _fixedTag;
    private IAsyncEnumerable<ResultBatch>? _rows;
    private List<string>? _notices;

    /// <summary>Creates a result.</summary>
    /// <param name="columns">Output columns (empty for no rows).</param>
    /// <param name="rows">The rows, or null when the statement returns none.</param>
    /// <param name="commandTag">Computes the tag (<c>SELECT 3</c>, <c>INSERT 0 2</c>); called once the rows are exhausted.</param>
    public StatementResult(IReadOnlyList<ResultColumn> columns, IAsyncEnumerable<ResultBatch>? rows, Func<string> commandTag)
    {
        Columns = columns;
        _rows = rows;
        _commandTag = commandTag;
    }

    /// <summary>Creates a result whose rows are already computed, with its final command tag.</summary>
    /// <param name="columns">Output columns.</param>
    /// <param name="batches">The rows.</param>
    /// <param name="commandTag">The tag (<c>SELECT 1</c>).</param>
    public StatementResult(IReadOnlyList<ResultColumn> columns, IReadOnlyList<ResultBatch> batches, string commandTag)
    {
        ArgumentNullException.ThrowIfNull(batches);
        Columns = columns;
        Batches = batches;
        _fixedTag = commandTag;
    }

    /// <summary>Output columns; empty when the statement returns no rows.</summary>
    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>The rows, or null when the statement returns none.</summary>
    public IAsyncEnumerable<ResultBatch>? Rows => _rows ??= Batches is { } batches ? ToAsync(batches) : null;

    /// <summary>
    /// The rows when they were computed before the result was returned (a point lookup's row), else null: a
    /// protocol may read them as they are instead of through <see cref="Rows"/>, with no enumerator to make.
    /// </summary>
    public IReadOnlyList<ResultBatch>? Batches { get; }

    /// <summary>COPY TO STDOUT: how to format <see cref="Rows"/> as COPY data (the rows are sent as CopyData, not DataRow).</summary>
    public CopyOptions? CopyOut { get; init; }

    /// <summary>COPY FROM STDIN: where the client's data goes; the protocol feeds it and completes or aborts it.</summary>
    public ICopyIn? CopyIn { get; init; }

    /// <summary>Notices raised while executing (for example "table does not exist, skipping").</summary>
    public IList<string> Notices => _notices ??= [];

    /// <summary>Whether <see cref="Notices"/> holds any (without making the list).</summary>
    public bool HasNotices => _notices is { Count: > 0 };

    /// <summary>The command tag; valid once <see cref="Rows"/> has been enumerated to its end.</summary>
    public string CommandTag => _fixedTag ?? _commandTag!();

    /// <summary>Releases what the row stream holds if it was not enumerated to its end.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

#pragma warning disable CS1998 // The rows are already computed; the stream only hands them out.
    private static async IAsyncEnumerable<ResultBatch> ToAsync(IReadOnlyList<ResultBatch> batches)
    {
        foreach (var batch in batches)
        {
            yield return batch;
        }
    }
#pragma warning restore CS1998
}
