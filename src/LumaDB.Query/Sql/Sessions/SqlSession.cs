using LumaDB.Engine.Hosting;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// A SQL session over the engine: parses, plans (with a per-session plan cache) and executes statements,
/// running each statement in its own transaction unless a BEGIN block is open.
/// </summary>
public sealed partial class SqlSession : ISqlSession
{
    private readonly Database _database;
    private readonly ISystemTableProvider? _systemTables;

    /// <summary>Creates a session on <paramref name="database"/>; <paramref name="systemTables"/> supplies pg_catalog-style virtual tables.</summary>
    public SqlSession(Database database, ISystemTableProvider? systemTables = null, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _systemTables = systemTables;
        Settings = settings ?? new SessionSettings();
    }

    /// <inheritdoc />
    public SessionSettings Settings { get; }

    /// <inheritdoc />
    public SessionTransactionState TransactionState { get; private set; }

    /// <inheritdoc />
    public PreparedStatement Prepare(string sql, IReadOnlyList<SqlType>? parameterTypes = null) =>
        throw new SqlException(SqlState.FeatureNotSupported, "not implemented yet");

    /// <inheritdoc />
    public ValueTask<StatementResult> ExecuteAsync(PreparedStatement statement, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default) =>
        throw new SqlException(SqlState.FeatureNotSupported, "not implemented yet");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
