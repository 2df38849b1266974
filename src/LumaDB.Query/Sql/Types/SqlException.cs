namespace LumaDB.Query.Sql.Types;

/// <summary>
/// A statement-level SQL error: the session survives and the client gets an ErrorResponse with
/// <see cref="SqlState"/>, <see cref="Exception.Message"/> and the optional hint and detail.
/// </summary>
public sealed class SqlException : Exception
{
    /// <summary>Creates an error with its SQLSTATE.</summary>
    public SqlException(string sqlState, string message, string? hint = null, string? detail = null)
        : base(message)
    {
        SqlState = sqlState;
        Hint = hint;
        Detail = detail;
    }

    /// <summary>Creates an error with no SQLSTATE (internal error).</summary>
    public SqlException()
        : this(Types.SqlState.InternalError, "internal error")
    {
    }

    /// <summary>Creates an internal error with a message.</summary>
    public SqlException(string message)
        : this(Types.SqlState.InternalError, message)
    {
    }

    /// <summary>Creates an internal error wrapping another.</summary>
    public SqlException(string message, Exception innerException)
        : base(message, innerException)
    {
        SqlState = Types.SqlState.InternalError;
    }

    /// <summary>The five-character SQLSTATE code.</summary>
    public string SqlState { get; }

    /// <summary>The HINT field, or null.</summary>
    public string? Hint { get; }

    /// <summary>The DETAIL field, or null.</summary>
    public string? Detail { get; }

    /// <summary>The CONTEXT field (where the error happened, e.g. <c>COPY t, line 3</c>), or null.</summary>
    public string? Where { get; init; }
}
