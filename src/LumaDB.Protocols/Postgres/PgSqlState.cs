namespace LumaDB.Protocols.Postgres;

/// <summary>SQLSTATE codes the wire protocol layer reports.</summary>
public static class PgSqlState
{
    /// <summary>0A000 feature_not_supported.</summary>
    public const string FeatureNotSupported = "0A000";

    /// <summary>08P01 protocol_violation.</summary>
    public const string ProtocolViolation = "08P01";

    /// <summary>28P01 invalid_password.</summary>
    public const string InvalidPassword = "28P01";

    /// <summary>28000 invalid_authorization_specification.</summary>
    public const string InvalidAuthorization = "28000";

    /// <summary>57014 query_canceled.</summary>
    public const string QueryCanceled = "57014";

    /// <summary>53300 too_many_connections.</summary>
    public const string TooManyConnections = "53300";

    /// <summary>PostgreSQL's message for <see cref="TooManyConnections"/>.</summary>
    public const string TooManyConnectionsMessage = "sorry, too many clients already";

    /// <summary>57P05 idle_session_timeout.</summary>
    public const string IdleSessionTimeout = "57P05";

    /// <summary>25P03 idle_in_transaction_session_timeout.</summary>
    public const string IdleInTransactionTimeout = "25P03";
}
