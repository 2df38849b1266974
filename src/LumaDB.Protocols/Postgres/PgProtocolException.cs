namespace LumaDB.Protocols.Postgres;

/// <summary>An error the protocol layer itself raises (unknown statement or portal, bad Bind), with its SQLSTATE.</summary>
public sealed class PgProtocolException : Exception
{
    /// <summary>Creates the error.</summary>
    public PgProtocolException(string sqlState, string message)
        : base(message) => SqlState = sqlState;

    /// <summary>Creates an error without a SQLSTATE of its own (08P01).</summary>
    public PgProtocolException()
        : this(PgSqlState.ProtocolViolation, "protocol violation")
    {
    }

    /// <summary>Creates an error without a SQLSTATE of its own (08P01).</summary>
    public PgProtocolException(string message)
        : this(PgSqlState.ProtocolViolation, message)
    {
    }

    /// <summary>Creates an error without a SQLSTATE of its own (08P01).</summary>
    public PgProtocolException(string message, Exception innerException)
        : base(message, innerException) => SqlState = PgSqlState.ProtocolViolation;

    /// <summary>The SQLSTATE reported.</summary>
    public string SqlState { get; }
}
