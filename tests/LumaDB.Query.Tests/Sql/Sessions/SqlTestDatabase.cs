using LumaDB.Engine.Hosting;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>A real database in a temporary directory with a session on it; deleted on dispose.</summary>
internal sealed class SqlTestDatabase : IAsyncDisposable
{
    private SqlTestDatabase(string directory, Database database, ISystemTableProvider? systemTables)
    {
        Directory = directory;
        Database = database;
        Session = new SqlSession(database, systemTables);
    }

    public string Directory { get; }

    public Database Database { get; }

    public SqlSession Session { get; }

    /// <summary>Opens a new database; with <paramref name="systemTables"/> (<c>PgCatalog.Instance</c>) the session sees pg_catalog and information_schema.</summary>
    public static async Task<SqlTestDatabase> OpenAsync(ISystemTableProvider? systemTables = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "luma-sql-" + Guid.NewGuid().ToString("N"));
        var database = new Database(directory, new DatabaseOptions { FsyncMode = WalFsyncMode.Never }, NullLogger<Database>.Instance);
        await database.RecoverAsync(CancellationToken.None);
        return new SqlTestDatabase(directory, database, systemTables);
    }

    public SqlSession NewSession() => new(Database);

    /// <summary>Runs one statement; returns its rows as text (NULL as null) and its command tag.</summary>
    public Task<(List<string?[]> Rows, string Tag)> RunAsync(string sql, params object?[] parameters) => RunAsync(Session, sql, parameters);

    public static async Task<(List<string?[]> Rows, string Tag)> RunAsync(ISqlSession session, string sql, params object?[] parameters)
    {
        var prepared = session.Prepare(sql);
        var result = await session.ExecuteAsync(prepared, parameters);
        var rows = new List<string?[]>();
        if (result.Rows is not null)
        {
            await foreach (var batch in result.Rows)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    rows.Add(batch.Columns.Select(c => c.GetValue(r) is { } v ? SqlText.Format(v, c.Type) : null).ToArray());
                }
            }
        }

        return (rows, result.CommandTag);
    }

    /// <summary>The rows of a query as "a|b" lines.</summary>
    public async Task<string[]> LinesAsync(string sql, params object?[] parameters)
    {
        var (rows, _) = await RunAsync(sql, parameters);
        return rows.Select(r => string.Join('|', r.Select(v => v ?? "NULL"))).ToArray();
    }

    public async Task<SqlException> ErrorAsync(string sql) =>
        await Assert.ThrowsAsync<SqlException>(async () => await RunAsync(sql));

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
