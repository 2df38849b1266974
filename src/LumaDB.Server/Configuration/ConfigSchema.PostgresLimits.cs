namespace LumaDB.Server.Configuration;

/// <summary>The PostgreSQL listener's connection limit and session timeouts.</summary>
public sealed partial class ConfigSchema
{
    private static void AddPostgresLimitKeys(List<ConfigKey> keys)
    {
        keys.Add(new ConfigKey(ListenerNames.Postgres, "max_connections", ConfigValueKind.Integer,
            "Most client connections open at once, those still logging in included; one more gets FATAL 53300 \"sorry, too many clients already\". Cancel requests are always served.",
            o => (long)o.PostgresSession.MaxConnections, (o, v) => o.PostgresSession.MaxConnections = checked((int)(long)v))
        { Minimum = 1, Maximum = 100_000 });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "statement_timeout", ConfigValueKind.Duration,
            "Default statement_timeout of every session: a statement running longer is cancelled with ERROR 57014. 0s is off; sessions may SET their own.",
            o => o.PostgresSession.StatementTimeout, (o, v) => o.PostgresSession.StatementTimeout = (TimeSpan)v)
        { Minimum = 0, Maximum = int.MaxValue });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "idle_session_timeout", ConfigValueKind.Duration,
            "Default idle_session_timeout: a session idle outside a transaction longer than this is closed with FATAL 57P05. 0s is off.",
            o => o.PostgresSession.IdleSessionTimeout, (o, v) => o.PostgresSession.IdleSessionTimeout = (TimeSpan)v)
        { Minimum = 0, Maximum = int.MaxValue });
        keys.Add(new ConfigKey(ListenerNames.Postgres, "idle_in_transaction_session_timeout", ConfigValueKind.Duration,
            "Default idle_in_transaction_session_timeout: a session idle inside an open transaction longer than this is closed with FATAL 25P03 and its transaction rolled back. 0s is off.",
            o => o.PostgresSession.IdleInTransactionSessionTimeout, (o, v) => o.PostgresSession.IdleInTransactionSessionTimeout = (TimeSpan)v)
        { Minimum = 0, Maximum = int.MaxValue });
    }
}
