namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// The receiving end of a running <c>COPY ... FROM STDIN</c>: the protocol decodes the client's data into
/// values of <see cref="Columns"/> and hands them over in batches; the rows are written in one transaction
/// that <see cref="CompleteAsync"/> commits and <see cref="Abort"/> (or any failed batch) rolls back, so a COPY
/// loads all of its rows or none.
/// </summary>
public interface ICopyIn
{
    /// <summary>The table, as error contexts name it (<c>COPY t, line 3</c>).</summary>
    string TableName { get; }

    /// <summary>The columns the data fills, in data order, with their types.</summary>
    IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>The COPY's options (format, delimiter, NULL string, header...).</summary>
    CopyOptions Options { get; }

    /// <summary>Writes rows (one value per <see cref="Columns"/> entry, CLR shapes of <see cref="Types.SqlText"/>).</summary>
    /// <param name="rows">The rows; the arrays may be reused by the caller once the call returns.</param>
    /// <param name="lines">The input line each row started on, for error contexts.</param>
    /// <param name="cancellationToken">Cancels the COPY.</param>
    /// <exception cref="Types.SqlException">A row breaks a constraint; the COPY is then aborted.</exception>
    ValueTask WriteAsync(ReadOnlyMemory<object?[]> rows, ReadOnlyMemory<long> lines, CancellationToken cancellationToken = default);

    /// <summary>Ends the COPY: commits (outside a transaction block) and returns the command tag <c>COPY n</c>.</summary>
    ValueTask<string> CompleteAsync(CancellationToken cancellationToken = default);

    /// <summary>Abandons the COPY: nothing it wrote stays; inside a transaction block the block is failed.</summary>
    void Abort();
}
