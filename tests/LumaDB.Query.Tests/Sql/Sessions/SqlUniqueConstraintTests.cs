using LumaDB.Engine.Hosting;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>UNIQUE constraints and unique indexes: enforced on every write, as PostgreSQL 15 does (its messages, names and NULL handling).</summary>
public sealed class SqlUniqueConstraintTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);
        await _db.RunAsync("CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, name text, CONSTRAINT users_name_uq UNIQUE (name))");
        await _db.RunAsync("INSERT INTO users VALUES (1, 'a@x', 'ann')");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static Task<(List<string?[]> Rows, string Tag)> Run(SqlSession session, string sql) => SqlTestDatabase.RunAsync(session, sql);

    [Fact]
    public async Task A_second_row_with_taken_values_is_refused_naming_the_constraint_and_the_key()
    {
        var error = await _db.ErrorAsync("INSERT INTO users VALUES (2, 'a@x', 'bob')");
        Assert.Equal(
            ("23505", "duplicate key value violates unique constraint \"users_email_key\"", "Key (email)=(a@x) already exists."),
            (error.SqlState, error.Message, error.Detail));
        error = await _db.ErrorAsync("INSERT INTO users VALUES (2, 'b@x', 'ann')");
        Assert.Equal("duplicate key value violates unique constraint \"users_name_uq\"", error.Message);

        // A statement that fails part way keeps none of its rows.
        await _db.ErrorAsync("INSERT INTO users VALUES (2, 'b@x', 'bob'), (3, 'b@x', 'cid')");
        Assert.Equal(["1|a@x|ann"], await _db.LinesAsync("SELECT * FROM users ORDER BY id"));
    }

    [Fact]
    public async Task Nulls_are_distinct_so_any_number_of_rows_may_leave_the_column_null()
    {
        await _db.RunAsync("INSERT INTO users VALUES (2, NULL, 'bob'), (3, NULL, 'cid'), (4, NULL, NULL), (5, NULL, NULL)");
        await _db.RunAsync("CREATE TABLE pair (a int, b int, UNIQUE (a, b))");
        await _db.RunAsync("INSERT INTO pair VALUES (1, NULL), (1, NULL), (1, 2)");
        Assert.Equal("Key (a, b)=(1, 2) already exists.", (await _db.ErrorAsync("INSERT INTO pair VALUES (1, 2)")).Detail);
        Assert.Equal(["5"], await _db.LinesAsync("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Updates_move_a_rows_entry_so_taken_values_are_refused_and_freed_ones_reusable()
    {
        await _db.RunAsync("INSERT INTO users VALUES (2, 'b@x', 'bob')");
        Assert.Equal("Key (email)=(a@x) already exists.", (await _db.ErrorAsync("UPDATE users SET email = 'a@x' WHERE id = 2")).Detail);

        await _db.RunAsync("UPDATE users SET email = 'c@x' WHERE id = 1");
        await _db.RunAsync("UPDATE users SET email = 'a@x' WHERE id = 2");
        await _db.RunAsync("UPDATE users SET id = 20 WHERE id = 2");
        await _db.RunAsync("DELETE FROM users WHERE id = 20");
        await _db.RunAsync("INSERT INTO users VALUES (3, 'a@x', 'bob')");
        Assert.Equal("Key (email)=(c@x) already exists.", (await _db.ErrorAsync("INSERT INTO users VALUES (4, 'c@x', 'dan')")).Detail);
        Assert.Equal(["1|c@x|ann", "3|a@x|bob"], await _db.LinesAsync("SELECT * FROM users ORDER BY id"));
    }

    [Fact]
    public async Task On_conflict_arbitrates_on_the_unique_index_its_target_or_constraint_names()
    {
        await _db.RunAsync("INSERT INTO users VALUES (5, 'a@x', 'eve') ON CONFLICT (email) DO UPDATE SET name = excluded.name");
        await _db.RunAsync("INSERT INTO users VALUES (6, 'f@x', 'eve') ON CONFLICT ON CONSTRAINT users_name_uq DO UPDATE SET email = excluded.email");
        Assert.Equal("INSERT 0 0", (await _db.RunAsync("INSERT INTO users VALUES (7, 'f@x', 'zed') ON CONFLICT DO NOTHING")).Tag);
        Assert.Equal("INSERT 0 0", (await _db.RunAsync("INSERT INTO users VALUES (8, 'g@x', 'eve') ON CONFLICT (name) DO NOTHING")).Tag);
        Assert.Equal("INSERT 0 1", (await _db.RunAsync("INSERT INTO users VALUES (9, 'i@x', 'ivy') ON CONFLICT (email) DO UPDATE SET name = 'x'")).Tag);
        Assert.Equal(["1|f@x|eve", "9|i@x|ivy"], await _db.LinesAsync("SELECT * FROM users ORDER BY id"));

        // Another constraint's conflict is still an error, and a target no constraint matches is refused.
        Assert.Equal("users_name_uq", (await _db.ErrorAsync("INSERT INTO users VALUES (10, 'h@x', 'eve') ON CONFLICT (id) DO NOTHING")).Constraint);
        var error = await _db.ErrorAsync("INSERT INTO users VALUES (9, 'h@x', 'ivy') ON CONFLICT (name, email) DO NOTHING");
        Assert.Equal(("42P10", "there is no unique or exclusion constraint matching the ON CONFLICT specification"), (error.SqlState, error.Message));
        Assert.Equal("42704", (await _db.ErrorAsync("INSERT INTO users VALUES (9, 'h@x', 'ivy') ON CONFLICT ON CONSTRAINT nosuch DO NOTHING")).SqlState);
        Assert.Equal("42601", (await _db.ErrorAsync("INSERT INTO users VALUES (9, 'h@x', 'ivy') ON CONFLICT DO UPDATE SET name = 'x'")).SqlState);
    }

    [Fact]
    public async Task Create_unique_index_refuses_duplicates_already_there_and_then_enforces()
    {
        await _db.RunAsync("CREATE TABLE t (a int, b int)");
        await _db.RunAsync("INSERT INTO t VALUES (1, 1), (1, 2)");
        var error = await _db.ErrorAsync("CREATE UNIQUE INDEX t_a ON t (a)");
        Assert.Equal(("23505", "could not create unique index \"t_a\"", "Key (a)=(1) is duplicated."), (error.SqlState, error.Message, error.Detail));
        Assert.Empty(await _db.LinesAsync("SELECT indexname FROM pg_indexes WHERE tablename = 't'"));

        await _db.RunAsync("CREATE UNIQUE INDEX t_ab ON t (a, b)");
        Assert.Equal("duplicate key value violates unique constraint \"t_ab\"", (await _db.ErrorAsync("INSERT INTO t VALUES (1, 2)")).Message);
        Assert.Equal(["t_ab|CREATE UNIQUE INDEX t_ab ON public.t USING btree (a, b)"], await _db.LinesAsync("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 't'"));
        await _db.RunAsync("DROP INDEX t_ab");
        await _db.RunAsync("INSERT INTO t VALUES (1, 2)");
        Assert.Equal(["3"], await _db.LinesAsync("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Constraints_are_added_after_checking_existing_rows_listed_in_pg_constraint_and_dropped_by_name()
    {
        await _db.RunAsync("CREATE TABLE t (a int, b int)");
        await _db.RunAsync("INSERT INTO t VALUES (1, 1), (2, 1)");
        Assert.Equal("Key (b)=(1) is duplicated.", (await _db.ErrorAsync("ALTER TABLE t ADD UNIQUE (b)")).Detail);
        await _db.RunAsync("ALTER TABLE t ADD UNIQUE (a)");
        await _db.RunAsync("ALTER TABLE t ADD CONSTRAINT t_ab UNIQUE (a, b)");
        Assert.Equal(
            ["t_a_key|u|UNIQUE (a)", "t_ab|u|UNIQUE (a, b)"],
            await _db.LinesAsync("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 't'::regclass ORDER BY 1"));

        var error = await _db.ErrorAsync("DROP INDEX t_a_key");
        Assert.Equal(("2BP01", "cannot drop index t_a_key because constraint t_a_key on table t requires it"), (error.SqlState, error.Message));
        Assert.Equal("23505", (await _db.ErrorAsync("INSERT INTO t VALUES (1, 5)")).SqlState);
        await _db.RunAsync("ALTER TABLE t DROP CONSTRAINT t_a_key");
        await _db.RunAsync("INSERT INTO t VALUES (1, 5)");
        Assert.Equal(["t_ab"], await _db.LinesAsync("SELECT conname FROM pg_constraint WHERE conrelid = 't'::regclass"));
    }

    [Fact]
    public async Task Renaming_adding_and_dropping_columns_keep_the_index_with_its_column()
    {
        await _db.RunAsync("ALTER TABLE users RENAME COLUMN email TO mail");
        await _db.RunAsync("ALTER TABLE users ADD COLUMN note text DEFAULT 'n'");
        Assert.Equal("Key (mail)=(a@x) already exists.", (await _db.ErrorAsync("INSERT INTO users VALUES (2, 'a@x', 'bob')")).Detail);
        Assert.Equal(["users_email_key|UNIQUE (mail)"], await _db.LinesAsync("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'users_email_key'"));

        // As in PostgreSQL, dropping a column drops the constraints and indexes on it.
        await _db.RunAsync("ALTER TABLE users DROP COLUMN mail");
        await _db.RunAsync("INSERT INTO users VALUES (2, 'bob', 'n')");
        Assert.Equal(["users_name_uq", "users_pkey"], await _db.LinesAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'users' ORDER BY 1"));
        Assert.Equal("23505", (await _db.ErrorAsync("INSERT INTO users VALUES (3, 'bob', 'n')")).SqlState);
    }

    [Fact]
    public async Task Tables_whose_rows_are_written_or_dropped_outside_sql_writers_take_no_unique_index()
    {
        await _db.RunAsync("CREATE TABLE otel_logs (id int)");
        Assert.Equal("0A000", (await _db.ErrorAsync("CREATE UNIQUE INDEX ON otel_logs (id)")).SqlState);
        Assert.Equal("0A000", (await _db.ErrorAsync("ALTER TABLE otel_logs ADD UNIQUE (id)")).SqlState);

        // Nor do tables whose rows expire: retention drops segments without their entries.
        await _db.RunAsync("CREATE TABLE events (ts timestamp, name text) WITH (time_index = 'ts', ttl = '7d')");
        Assert.Equal("0A000", (await _db.ErrorAsync("CREATE UNIQUE INDEX ON events (name)")).SqlState);
        Assert.Equal("0A000", (await _db.ErrorAsync("CREATE TABLE expiring (ts timestamp, name text UNIQUE) WITH (time_index = 'ts', ttl = '7d')")).SqlState);
    }

    [Fact]
    public async Task Truncate_and_drop_table_take_the_entries_with_the_rows()
    {
        await _db.RunAsync("TRUNCATE users");
        await _db.RunAsync("INSERT INTO users VALUES (1, 'a@x', 'ann')");
        await _db.RunAsync("DROP TABLE users");
        await _db.RunAsync("CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE)");
        await _db.RunAsync("INSERT INTO users VALUES (1, 'a@x')");
        Assert.Equal(["1|a@x"], await _db.LinesAsync("SELECT * FROM users"));
    }

    [Fact]
    public async Task A_table_without_a_primary_key_keeps_its_entries_through_updates_and_deletes()
    {
        await _db.RunAsync("CREATE TABLE tags (tag text UNIQUE, hits int)");
        await _db.RunAsync("INSERT INTO tags VALUES ('x', 1), ('y', 1)");
        await _db.RunAsync("UPDATE tags SET hits = hits + 1");
        Assert.Equal("23505", (await _db.ErrorAsync("UPDATE tags SET tag = 'x' WHERE tag = 'y'")).SqlState);
        await _db.RunAsync("DELETE FROM tags WHERE tag = 'x'");
        await _db.RunAsync("UPDATE tags SET tag = 'x' WHERE tag = 'y'");
        await _db.RunAsync("INSERT INTO tags VALUES ('y', 0)");
        Assert.Equal(["x|2", "y|0"], await _db.LinesAsync("SELECT * FROM tags ORDER BY tag"));
    }

    [Fact]
    public async Task Rolling_back_to_a_savepoint_takes_back_the_entries_it_wrote()
    {
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("SAVEPOINT s");
        await _db.RunAsync("INSERT INTO users VALUES (2, 'b@x', 'bob')");
        await _db.RunAsync("ROLLBACK TO SAVEPOINT s");
        await _db.RunAsync("INSERT INTO users VALUES (3, 'b@x', 'bob')");
        await _db.RunAsync("COMMIT");
        Assert.Equal(["1|a@x|ann", "3|b@x|bob"], await _db.LinesAsync("SELECT * FROM users ORDER BY id"));
    }

    [Fact]
    public async Task An_insert_of_values_another_transaction_inserted_waits_for_its_outcome()
    {
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("INSERT INTO users VALUES (2, 'b@x', 'bob')");
        var duplicate = Run(other, "INSERT INTO users VALUES (3, 'b@x', 'cid')");
        await Task.Delay(100);
        Assert.False(duplicate.IsCompleted);
        await _db.RunAsync("COMMIT");
        var error = await Assert.ThrowsAsync<SqlException>(() => duplicate.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("duplicate key value violates unique constraint \"users_email_key\"", error.Message);

        await _db.RunAsync("BEGIN");
        await _db.RunAsync("INSERT INTO users VALUES (4, 'd@x', 'dan')");
        var after = Run(other, "INSERT INTO users VALUES (5, 'd@x', 'dee')");
        await Task.Delay(100);
        Assert.False(after.IsCompleted);
        await _db.RunAsync("ROLLBACK");
        Assert.Equal("INSERT 0 1", (await after.WaitAsync(TimeSpan.FromSeconds(10))).Tag);
        Assert.Equal(["1|a@x", "2|b@x", "5|d@x"], await _db.LinesAsync("SELECT id, email FROM users ORDER BY id"));
        Assert.Equal(0, _db.Database.HeldRowLocks);
    }

    [Fact]
    public async Task A_writer_that_began_before_a_unique_index_was_made_cannot_commit_a_duplicate_past_it()
    {
        await _db.RunAsync("CREATE TABLE t (a int)");
        await using var other = _db.NewSession();
        await Run(other, "BEGIN");
        await Run(other, "INSERT INTO t VALUES (1)");
        await _db.RunAsync("INSERT INTO t VALUES (1)");
        await _db.RunAsync("BEGIN ISOLATION LEVEL REPEATABLE READ");
        await _db.RunAsync("DELETE FROM t");
        await _db.RunAsync("COMMIT");
        await _db.RunAsync("CREATE UNIQUE INDEX t_a ON t (a)");
        await _db.RunAsync("INSERT INTO t VALUES (1)");

        // The open transaction wrote under the old definition: its commit is refused, not let in unindexed.
        var error = await Assert.ThrowsAsync<SqlException>(() => Run(other, "COMMIT"));
        Assert.Equal(SqlState.SerializationFailure, error.SqlState);
        Assert.Equal(["1"], await _db.LinesAsync("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Entries_survive_a_restart_and_the_entry_tables_stay_out_of_the_catalog()
    {
        var directory = Path.Combine(Path.GetTempPath(), "luma-sql-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var database = await OpenAsync(directory))
            await using (var session = new SqlSession(database, PgCatalog.Instance))
            {
                await SqlTestDatabase.RunAsync(session, "CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE)");
                await SqlTestDatabase.RunAsync(session, "INSERT INTO u VALUES (1, 'a@x')");
            }

            await using (var database = await OpenAsync(directory))
            await using (var session = new SqlSession(database, PgCatalog.Instance))
            {
                var error = await Assert.ThrowsAsync<SqlException>(() => SqlTestDatabase.RunAsync(session, "INSERT INTO u VALUES (2, 'a@x')"));
                Assert.Equal(SqlState.UniqueViolation, error.SqlState);
                var (tables, _) = await SqlTestDatabase.RunAsync(session, "SELECT relname, relkind FROM pg_class WHERE relname LIKE 'u%' ORDER BY 1");
                Assert.Equal(["u|r", "u_email_key|i", "u_pkey|i"], tables.Select(r => string.Join('|', r)));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        static async Task<Database> OpenAsync(string directory)
        {
            var database = new Database(directory, new DatabaseOptions { FsyncMode = WalFsyncMode.Never }, NullLogger<Database>.Instance);
            await database.RecoverAsync(CancellationToken.None);
            return database;
        }
    }
}
