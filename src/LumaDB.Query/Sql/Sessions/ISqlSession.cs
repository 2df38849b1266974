using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// A SQL session as protocols see it (PostgreSQL wire, REST, web console): prepare statements, execute them
/// with parameter values, and track the transaction block and settings. The query layer implements it over the
/// engine; protocols know nothing else of SQL execution.
/// </summary>
public interface ISqlSession : IAsyncDisposable
{
    /// <summary>The session's settings.</summary>
    SessionSettings Settings { get; }

    /// <summary>Where the session stands with respect to a transaction block.</summary>
    SessionTransactionState TransactionState { get; }

    /// <summary>Parses, binds and plans one statement.</summary>
    /// <param name="sql">Exactly one statement (a trailing semicolon is allowed); empty text gives an empty-query statement.</param>
    /// <param name="parameterTypes">Types the client declared for $1..$n; <see cref="SqlType.Unknown"/> where it left them to inference.</param>
    /// <exception cref="SqlException">Syntax, name or type errors.</exception>
    PreparedStatement Prepare(string sql, IReadOnlyList<SqlType>? parameterTypes = null);

    /// <summary>Runs a prepared statement with parameter values (CLR shapes of <see cref="SqlText"/>, null for NULL).</summary>
    /// <exception cref="SqlException">Execution errors; in a block the session is then <see cref="SessionTransactionState.Failed"/>.</exception>
    ValueTask<StatementResult> ExecuteAsync(PreparedStatement statement, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default);
}
