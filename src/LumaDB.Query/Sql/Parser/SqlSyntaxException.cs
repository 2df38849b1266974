namespace LumaDB.Query.Sql.Parser;

/// <summary>Thrown when SQL text cannot be parsed; carries the located <see cref="SqlSyntaxError"/> (SQLSTATE 42601).</summary>
public sealed class SqlSyntaxException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public SqlSyntaxException(SqlSyntaxError error)
        : base(error.Message) => Error = error;

    /// <summary>Creates an exception with a message and no position.</summary>
    public SqlSyntaxException()
        : this("syntax error")
    {
    }

    /// <summary>Creates an exception with a message and no position.</summary>
    public SqlSyntaxException(string message)
        : base(message) => Error = new SqlSyntaxError(message, 0, 0, 0, []);

    /// <summary>Creates an exception with a message, no position and an inner exception.</summary>
    public SqlSyntaxException(string message, Exception innerException)
        : base(message, innerException) => Error = new SqlSyntaxError(message, 0, 0, 0, []);

    /// <summary>The located error.</summary>
    public SqlSyntaxError Error { get; }

    /// <summary>1-based character position.</summary>
    public int Position => Error.Position;

    /// <summary>1-based line.</summary>
    public int Line => Error.Line;

    /// <summary>1-based column.</summary>
    public int Column => Error.Column;

    /// <summary>SQLSTATE of a syntax error, 42601.</summary>
    public const string SqlState = SqlSyntaxError.SqlState;
}
