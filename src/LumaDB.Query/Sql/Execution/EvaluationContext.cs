using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Per-statement state the evaluator reads: parameter values and the statement's timestamp, taken once
/// from an injectable clock so that now() is the same in every row and every batch, as in PostgreSQL.
/// </summary>
public sealed class EvaluationContext
{
    /// <summary>Creates a context; <paramref name="clock"/> defaults to the system clock.</summary>
    public EvaluationContext(TimeProvider? clock = null, IReadOnlyList<object?>? parameters = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        StatementTimestamp = (now.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        Parameters = parameters ?? [];
    }

    /// <summary>A copy of <paramref name="source"/> for another runtime of the same statement (a parallel worker): same timestamp, parameters and settings.</summary>
    internal EvaluationContext(EvaluationContext source)
    {
        StatementTimestamp = source.StatementTimestamp;
        Parameters = source.Parameters;
        Settings = source.Settings;
        SetConfig = source.SetConfig;
        Cancellation = source.Cancellation;
        Sequences = source.Sequences;
    }

    /// <summary>now() in microseconds since 1970-01-01 UTC.</summary>
    public long StatementTimestamp { get; }

    /// <summary>Parameter values for <c>$1</c>... (index 0 is $1), already in their bound types.</summary>
    public IReadOnlyList<object?> Parameters { get; }

    /// <summary>The session's settings, for functions that report them (current_setting, current_user); null outside a session.</summary>
    public Sessions.SessionSettings? Settings { get; init; }

    /// <summary>Applies set_config(name, value) as SET does, checks included, returning the new value; null outside a session.</summary>
    public Func<string, string, string>? SetConfig { get; init; }

    /// <summary>The session's currval and lastval state; null outside a session.</summary>
    public Sessions.SessionSequences? Sequences { get; init; }

    /// <summary>Cancelled when the statement is cancelled; long-running functions (pg_sleep) watch it.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The running query's state (outer rows, subquery caches), when a plan is executing.</summary>
    internal QueryRuntime? Runtime { get; set; }

    internal object? Parameter(int index)
    {
        if (index < 1 || index > Parameters.Count)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"there is no parameter ${index}");
        }

        return Parameters[index - 1];
    }
}
