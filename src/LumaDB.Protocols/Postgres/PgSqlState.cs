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
}
