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

    /// <summary>
    /// The 1-based character position in the statement text that the error points at (PostgreSQL's 'P' field,
    /// which psql shows as a LINE line with a caret), or null.
    /// </summary>
    public int? Position { get; init; }

    /// <summary>The schema of the table a constraint violation is on (PostgreSQL's 's' field), or null.</summary>
    public string? Schema { get; init; }

    /// <summary>The table a constraint violation is on ('t'), or null.</summary>
    public string? Table { get; init; }

    /// <summary>The column a NOT NULL violation is on ('c'), or null.</summary>
    public string? Column { get; init; }

    /// <summary>The constraint violated ('n'), which drivers and ORMs read to tell which one failed, or null.</summary>
    public string? Constraint { get; init; }

    /// <summary>The same error pointing at <paramref name="position"/> (null: at nothing).</summary>
    public SqlException WithPosition(int? position) =>
        new(SqlState, Message, Hint, Detail) { Where = Where, Position = position, Schema = Schema, Table = Table, Column = Column, Constraint = Constraint };

    /// <summary>The same error with <paramref name="where"/> as its context.</summary>
    public SqlException WithWhere(string? where) =>
        new(SqlState, Message, Hint, Detail) { Where = where, Position = Position, Schema = Schema, Table = Table, Column = Column, Constraint = Constraint };

    /// <summary>
    /// Whether the error is one PostgreSQL reports with the position of the syntax it arose from, when raised
    /// while a statement is analysed: unknown or ambiguous names, type mismatches, grouping and window misuse
    /// (class 42, not permissions), literals that do not convert, and unsupported constructs.
    /// </summary>
    public bool PointsAtSyntax =>
        Position is null
        && ((SqlState.StartsWith("42", StringComparison.Ordinal) && SqlState != Types.SqlState.InsufficientPrivilege)
            || SqlState is Types.SqlState.InvalidTextRepresentation or Types.SqlState.NumericValueOutOfRange
                or Types.SqlState.InvalidDatetimeFormat or Types.SqlState.DatetimeFieldOverflow or Types.SqlState.FeatureNotSupported);
}
