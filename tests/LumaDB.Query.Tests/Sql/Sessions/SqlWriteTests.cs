using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>DDL, DML and transactions over a real database.</summary>
public sealed class SqlWriteTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await SqlTestDatabase.OpenAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Create_table_if_not_exists_and_duplicate_table()
    {
        Assert.Equal("CREATE TABLE", (await _db.RunAsync("CREATE TABLE a (x int)")).Tag);
        await _db.RunAsync("CREATE TABLE IF NOT EXISTS a (x int)");
        Assert.Equal(SqlState.DuplicateTable, (await _db.ErrorAsync("CREATE TABLE a (x int)")).SqlState);
        Assert.Equal("DROP TABLE", (await _db.RunAsync("DROP TABLE a")).Tag);
        await _db.RunAsync("DROP TABLE IF EXISTS a");
        Assert.Equal(SqlState.UndefinedTable, (await _db.ErrorAsync("DROP TABLE a")).SqlState);
    }

    [Fact]
    public async Task Tables_without_a_key_keep_duplicate_rows()
    {
        await _db.RunAsync("CREATE TABLE d (x int)");
        Assert.Equal("INSERT 0 3", (await _db.RunAsync("INSERT INTO d VALUES (1), (1), (1)")).Tag);
        Assert.Equal(["3"], await _db.LinesAsync("SELECT count(*) FROM d"));
        Assert.Equal(["1"], await _db.LinesAsync("SELECT * FROM d LIMIT 1"));
    }

    [Fact]
    public async Task Primary_key_violation_not_null_and_bad_text()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, name text NOT NULL, n int DEFAULT 7)");
        await _db.RunAsync("INSERT INTO k (id, name) VALUES (1, 'a')");
        Assert.Equal(["1|a|7"], await _db.LinesAsync("SELECT * FROM k"));
        Assert.Equal(SqlState.UniqueViolation, (await _db.ErrorAsync("INSERT INTO k VALUES (1, 'b', 0)")).SqlState);
        Assert.Equal(SqlState.NotNullViolation, (await _db.ErrorAsync("INSERT INTO k VALUES (2, NULL, 0)")).SqlState);
        Assert.Equal(SqlState.InvalidTextRepresentation, (await _db.ErrorAsync("INSERT INTO k VALUES ('x', 'b', 0)")).SqlState);
        Assert.Equal(["1"], await _db.LinesAsync("SELECT count(*) FROM k"));
    }

    [Fact]
    public async Task On_conflict_do_nothing_and_do_update_with_returning()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, hits int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 1)");
        Assert.Equal("INSERT 0 0", (await _db.RunAsync("INSERT INTO k VALUES (1, 5) ON CONFLICT DO NOTHING")).Tag);
        var (rows, tag) = await _db.RunAsync("INSERT INTO k VALUES (1, 5), (2, 1) ON CONFLICT (id) DO UPDATE SET hits = k.hits + excluded.hits RETURNING id, hits");
        Assert.Equal("INSERT 0 2", tag);
        Assert.Equal(["1|6", "2|1"], rows.Select(r => string.Join('|', r)).ToArray());
    }

    [Theory]
    [InlineData("CREATE TABLE bad_default (a int DEFAULT nosuch)", "0A000", "cannot use column reference in DEFAULT expression")]
    [InlineData("CREATE TABLE bad_default (a int DEFAULT 'x')", "22P02", "invalid input syntax for type integer: \"x\"")]
    public async Task A_default_that_cannot_be_computed_is_refused_when_declared(string sql, string state, string message)
    {
        var error = await _db.ErrorAsync(sql);
        Assert.Equal((state, message), (error.SqlState, error.Message));
        Assert.Equal("CREATE TABLE", (await _db.RunAsync("CREATE TABLE bad_default (a int)")).Tag);
    }

    [Fact]
    public async Task Set_default_to_a_column_reference_is_refused()
    {
        await _db.RunAsync("CREATE TABLE good_default (a int DEFAULT 1, b int)");
        var error = await _db.ErrorAsync("ALTER TABLE good_default ALTER a SET DEFAULT b");
        Assert.Equal(("0A000", "cannot use column reference in DEFAULT expression"), (error.SqlState, error.Message));
    }

    [Fact]
    public async Task On_conflict_do_nothing_without_a_target_inserts_into_a_table_without_a_key()
    {
        await _db.RunAsync("CREATE TABLE nokey (v int)");
        Assert.Equal("INSERT 0 2", (await _db.RunAsync("INSERT INTO nokey VALUES (1), (1) ON CONFLICT DO NOTHING")).Tag);
        Assert.Equal("42P10", (await _db.ErrorAsync("INSERT INTO nokey VALUES (1) ON CONFLICT (v) DO NOTHING")).SqlState);
    }

    [Fact]
    public async Task Insert_select_update_and_delete_with_returning()
    {
        await _db.RunAsync("CREATE TABLE src (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO src SELECT g, g * 10 FROM generate_series(1, 5) AS g");
        var (updated, tag) = await _db.RunAsync("UPDATE src SET v = v + 1 WHERE id >= 4 RETURNING id, v");
        Assert.Equal("UPDATE 2", tag);
        Assert.Equal(["4|41", "5|51"], updated.Select(r => string.Join('|', r)).ToArray());
        var (deleted, deleteTag) = await _db.RunAsync("DELETE FROM src WHERE v < 25 RETURNING *");
        Assert.Equal("DELETE 2", deleteTag);
        Assert.Equal(2, deleted.Count);
        Assert.Equal(["3|30", "4|41", "5|51"], await _db.LinesAsync("SELECT * FROM src ORDER BY id"));
        await _db.RunAsync("UPDATE src SET id = id + 10 WHERE id = 3");
        Assert.Equal(["4", "5", "13"], await _db.LinesAsync("SELECT id FROM src ORDER BY id"));
    }

    [Fact]
    public async Task Alter_table_add_drop_rename_and_truncate()
    {
        await _db.RunAsync("CREATE TABLE a (id int PRIMARY KEY, x int)");
        await _db.RunAsync("INSERT INTO a VALUES (1, 2)");
        await _db.RunAsync("ALTER TABLE a ADD COLUMN y text");
        Assert.Equal(["1|2|NULL"], await _db.LinesAsync("SELECT id, x, y FROM a"));
        await _db.RunAsync("ALTER TABLE a RENAME COLUMN x TO z");
        Assert.Equal(["z"], (await _db.Session.ExecuteAsync(_db.Session.Prepare("SELECT z FROM a"), [])).Columns.Select(c => c.Name).ToArray());
        await _db.RunAsync("ALTER TABLE a DROP COLUMN z");
        Assert.Equal(["1|NULL"], await _db.LinesAsync("SELECT * FROM a"));
        Assert.Equal("TRUNCATE TABLE", (await _db.RunAsync("TRUNCATE a")).Tag);
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM a"));
    }

    [Fact]
    public async Task Rename_column_keeps_the_values_of_the_column_it_renames()
    {
        await _db.RunAsync("CREATE TABLE rn (id int PRIMARY KEY, code text NOT NULL, note text)");
        await _db.RunAsync("INSERT INTO rn VALUES (1, 'a', 'x'), (2, 'b', NULL)");
        await _db.RunAsync("ALTER TABLE rn RENAME COLUMN id TO rid");
        await _db.RunAsync("ALTER TABLE rn RENAME COLUMN note TO remark");
        Assert.Equal(["1|a|x", "2|b|NULL"], await _db.LinesAsync("SELECT rid, code, remark FROM rn ORDER BY rid"));
        Assert.Equal(["b"], await _db.LinesAsync("SELECT code FROM rn WHERE rid = 2"));

        // Several changes in one statement: a rename chain, and a new column under a name an old one had.
        await _db.RunAsync("ALTER TABLE rn RENAME COLUMN code TO c1, RENAME COLUMN c1 TO c2, ADD COLUMN code int, DROP COLUMN remark, ADD COLUMN remark text");
        Assert.Equal(["1|a|NULL|NULL", "2|b|NULL|NULL"], await _db.LinesAsync("SELECT rid, c2, code, remark FROM rn ORDER BY rid"));

        // Inside a block, then rolled back: the old names and values are back.
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("ALTER TABLE rn RENAME COLUMN c2 TO c3");
        Assert.Equal(["a", "b"], await _db.LinesAsync("SELECT c3 FROM rn ORDER BY rid"));
        await _db.RunAsync("ROLLBACK");
        Assert.Equal(["a", "b"], await _db.LinesAsync("SELECT c2 FROM rn ORDER BY rid"));
    }

    [Fact]
    public async Task Add_column_with_a_default_gives_existing_rows_the_default()
    {
        await _db.RunAsync("CREATE TABLE a (id int PRIMARY KEY, x int)");
        await _db.RunAsync("INSERT INTO a VALUES (1, 2), (2, 3)");
        await _db.RunAsync("ALTER TABLE a ADD COLUMN n int NOT NULL DEFAULT 0, ADD COLUMN label text DEFAULT 'new' || '!', ADD COLUMN added timestamptz DEFAULT now()");
        await _db.RunAsync("INSERT INTO a (id, x) VALUES (3, 4)");

        Assert.Equal(["1|2|0|new!", "2|3|0|new!", "3|4|0|new!"], await _db.LinesAsync("SELECT id, x, n, label FROM a ORDER BY id"));
        Assert.Equal(["3|1"], await _db.LinesAsync("SELECT count(added), count(DISTINCT added) FILTER (WHERE id < 3) FROM a"));

        // In a block the new values show before commit, survive a later ALTER, and vanish with a rollback.
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("ALTER TABLE a ADD COLUMN flag boolean DEFAULT true");
        await _db.RunAsync("ALTER TABLE a ADD COLUMN score float8 DEFAULT 1.5");
        Assert.Equal(["1|t|1.5", "2|t|1.5", "3|t|1.5"], await _db.LinesAsync("SELECT id, flag, score FROM a ORDER BY id"));
        await _db.RunAsync("ROLLBACK");
        Assert.Equal(SqlState.UndefinedColumn, (await _db.ErrorAsync("SELECT flag FROM a")).SqlState);

        // Without a default, NOT NULL cannot be added over existing rows.
        await _db.ErrorAsync("ALTER TABLE a ADD COLUMN must int NOT NULL");
        Assert.Equal(["3"], await _db.LinesAsync("SELECT count(*) FROM a"));
    }

    [Fact]
    public async Task Add_primary_key_rewrites_rows_in_key_order_and_rejects_duplicates()
    {
        await _db.RunAsync("CREATE TABLE pk (id int, g text, v int)");
        await _db.RunAsync("INSERT INTO pk VALUES (3, 'b', 30), (1, 'a', 10), (2, 'a', 20)");
        await _db.RunAsync("ALTER TABLE pk ADD PRIMARY KEY (id)");
        Assert.Equal(["1|a|10", "2|a|20", "3|b|30"], await _db.LinesAsync("SELECT * FROM pk"));
        Assert.Equal(["20"], await _db.LinesAsync("SELECT v FROM pk WHERE id = 2"));

        await _db.RunAsync("CREATE TABLE dup (id bigint, g text)");
        await _db.RunAsync("INSERT INTO dup VALUES (5, 'x'), (7, 'y'), (5, 'z')");
        var duplicate = await _db.ErrorAsync("ALTER TABLE dup ADD PRIMARY KEY (id)");
        Assert.Equal(SqlState.UniqueViolation, duplicate.SqlState);
        Assert.Equal("Key (id)=(5) is duplicated.", duplicate.Detail);

        // Composite keys compare element-wise: ('a', 1) and ('a', 2) differ, a second ('b', 1) does not.
        await _db.RunAsync("CREATE TABLE two (g text, n int)");
        await _db.RunAsync("INSERT INTO two VALUES ('a', 1), ('a', 2), ('b', 1)");
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("ALTER TABLE two ADD PRIMARY KEY (g, n)");
        Assert.Equal(["a|1", "a|2", "b|1"], await _db.LinesAsync("SELECT * FROM two"));
        Assert.Equal(["2"], await _db.LinesAsync("SELECT n FROM two WHERE g = 'a' AND n = 2"));
        await _db.RunAsync("COMMIT");
        await _db.RunAsync("CREATE TABLE two2 (g text, n int)");
        await _db.RunAsync("INSERT INTO two2 VALUES ('a', 1), ('b', 1), ('b', 1)");
        var composite = await _db.ErrorAsync("ALTER TABLE two2 ADD PRIMARY KEY (g, n)");
        Assert.Equal(SqlState.UniqueViolation, composite.SqlState);
        Assert.Equal("Key (g, n)=(b, 1) is duplicated.", composite.Detail);
        await _db.RunAsync("CREATE TABLE nul (id int)");
        await _db.RunAsync("INSERT INTO nul VALUES (NULL)");
        Assert.Equal(SqlState.NotNullViolation, (await _db.ErrorAsync("ALTER TABLE nul ADD PRIMARY KEY (id)")).SqlState);
    }

    [Fact]
    public async Task Add_primary_key_over_rows_already_in_key_order_keeps_every_row_findable_and_unique()
    {
        // Loaded in the new key's order, as pgbench loads its accounts: the rewrite finds them sorted.
        await _db.RunAsync("CREATE TABLE ordered (id int, v text)");
        await _db.RunAsync("INSERT INTO ordered SELECT g, 'v' || g FROM generate_series(1, 500) g");
        await _db.RunAsync("ALTER TABLE ordered ADD PRIMARY KEY (id)");
        Assert.Equal(["500|1|500"], await _db.LinesAsync("SELECT count(*), min(id), max(id) FROM ordered"));
        Assert.Equal(["v1"], await _db.LinesAsync("SELECT v FROM ordered WHERE id = 1"));
        Assert.Equal(["v250"], await _db.LinesAsync("SELECT v FROM ordered WHERE id = 250"));
        Assert.Equal(["v500"], await _db.LinesAsync("SELECT v FROM ordered WHERE id = 500"));
        Assert.Equal(SqlState.UniqueViolation, (await _db.ErrorAsync("INSERT INTO ordered VALUES (250, 'again')")).SqlState);
    }

    [Fact]
    public async Task Schemas_views_and_indexes()
    {
        await _db.RunAsync("CREATE SCHEMA app");
        await _db.RunAsync("CREATE TABLE app.items (id int PRIMARY KEY, price int)");
        await _db.RunAsync("INSERT INTO app.items VALUES (1, 5), (2, 50)");
        await _db.RunAsync("CREATE VIEW cheap AS SELECT id FROM app.items WHERE price < 10");
        Assert.Equal(["1"], await _db.LinesAsync("SELECT * FROM cheap"));
        Assert.Equal("CREATE INDEX", (await _db.RunAsync("CREATE INDEX items_price ON app.items (price)")).Tag);
        await _db.RunAsync("DROP INDEX items_price");
        await _db.RunAsync("DROP VIEW cheap");
        Assert.Equal(SqlState.UndefinedTable, (await _db.ErrorAsync("SELECT * FROM cheap")).SqlState);
    }

    [Fact]
    public async Task Time_series_table_with_ttl_keeps_time_range_pushdown()
    {
        await _db.RunAsync("CREATE TABLE m (ts timestamptz NOT NULL, host text, v float8) WITH (time_index = 'ts', ttl = '30d')");
        await _db.RunAsync("INSERT INTO m VALUES (now(), 'a', 1), (now() - interval '1 hour', 'b', 2)");
        Assert.Equal(["1"], await _db.LinesAsync("SELECT count(*) FROM m WHERE ts > now() - interval '30 minutes'"));
        var plan = string.Join('\n', await _db.LinesAsync("EXPLAIN SELECT * FROM m WHERE ts >= '2024-01-01'::timestamptz"));
        Assert.Contains("Time Range", plan, StringComparison.Ordinal);
        Assert.Equal(SqlState.InvalidTableDefinition, (await _db.ErrorAsync("CREATE TABLE bad (x int) WITH (time_index = 'x')")).SqlState);
    }

    [Fact]
    public async Task A_tables_ttl_drops_its_expired_segments_and_its_compaction_options_reach_the_shard()
    {
        await _db.RunAsync("CREATE TABLE e (ts timestamptz NOT NULL, v int) WITH (time_index = 'ts', ttl = '1h', compaction_min_segments = 6)");
        var table = _db.Database.Catalog.FindTable("public", "e")!;
        Assert.Equal(TimeSpan.FromHours(1), _db.Database.Shard.RetentionOf(table.Id));
        Assert.Equal(new TableCompaction(6, TimeSpan.FromMinutes(7.5)), _db.Database.Shard.CompactionOf(table.Id));

        await _db.RunAsync("INSERT INTO e VALUES (now() - interval '3 hours', 1), (now() - interval '2 hours', 2)");
        await _db.Database.FlushAsync();
        await _db.RunAsync("INSERT INTO e VALUES (now(), 3)");
        await _db.Database.FlushAsync();
        Assert.Single(await _db.Database.Shard.ApplyRetentionAsync());
        Assert.Equal(["3"], await _db.LinesAsync("SELECT v FROM e"));

        await _db.RunAsync("CREATE TABLE w (ts timestamptz NOT NULL, v int) WITH (time_index = 'ts', compaction_window = '2 hours')");
        Assert.Equal(new TableCompaction(null, TimeSpan.FromHours(2)), _db.Database.Shard.CompactionOf(_db.Database.Catalog.FindTable("public", "w")!.Id));
        Assert.Equal(SqlState.InvalidParameterValue, (await _db.ErrorAsync("CREATE TABLE bad (ts timestamptz) WITH (compaction_min_segments = 1)")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue, (await _db.ErrorAsync("CREATE TABLE bad (ts timestamptz) WITH (compaction_window = 'soon')")).SqlState);
        Assert.Null(_db.Database.Catalog.FindTable("public", "bad"));
    }

    [Fact]
    public async Task Transaction_block_commit_and_rollback()
    {
        await _db.RunAsync("CREATE TABLE a (x int)");
        await _db.RunAsync("BEGIN");
        Assert.Equal(SessionTransactionState.InBlock, _db.Session.TransactionState);
        await _db.RunAsync("INSERT INTO a VALUES (1)");
        await _db.RunAsync("ROLLBACK");
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM a"));
        await _db.RunAsync("START TRANSACTION");
        await _db.RunAsync("INSERT INTO a VALUES (1)");
        Assert.Equal(["1"], await _db.LinesAsync("SELECT count(*) FROM a"));
        await _db.RunAsync("COMMIT");
        Assert.Equal(SessionTransactionState.Idle, _db.Session.TransactionState);
        await using var other = _db.NewSession();
        Assert.Single((await SqlTestDatabase.RunAsync(other, "SELECT * FROM a")).Rows);
    }

    [Fact]
    public async Task Error_in_block_fails_it_until_rollback()
    {
        await _db.RunAsync("BEGIN");
        await _db.ErrorAsync("SELECT * FROM missing");
        Assert.Equal(SessionTransactionState.Failed, _db.Session.TransactionState);
        Assert.Equal(SqlState.InFailedTransaction, (await _db.ErrorAsync("SELECT 1")).SqlState);
        Assert.Equal("ROLLBACK", (await _db.RunAsync("COMMIT")).Tag);
        Assert.Equal(SessionTransactionState.Idle, _db.Session.TransactionState);
    }

    [Fact]
    public async Task Savepoints_undo_part_of_a_block()
    {
        await _db.RunAsync("CREATE TABLE a (x int)");
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("INSERT INTO a VALUES (1)");
        await _db.RunAsync("SAVEPOINT s1");
        await _db.RunAsync("INSERT INTO a VALUES (2)");
        await _db.ErrorAsync("SELECT * FROM missing");
        await _db.RunAsync("ROLLBACK TO SAVEPOINT s1");
        Assert.Equal(SessionTransactionState.InBlock, _db.Session.TransactionState);
        await _db.RunAsync("COMMIT");
        Assert.Equal(["1"], await _db.LinesAsync("SELECT x FROM a"));
    }

    [Fact]
    public async Task Concurrent_writes_to_one_key_under_repeatable_read_give_40001()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0)");
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        await SqlTestDatabase.RunAsync(other, "BEGIN ISOLATION LEVEL REPEATABLE READ");
        Assert.Equal("0", (await SqlTestDatabase.RunAsync(other, "SELECT v FROM k")).Rows[0][0]);
        await _db.RunAsync("UPDATE k SET v = 1 WHERE id = 1");

        // The second writer waits for the row lock, then finds the row changed after its snapshot.
        var waiting = SqlTestDatabase.RunAsync(other, "UPDATE k SET v = 2 WHERE id = 1");
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        await _db.RunAsync("COMMIT");
        var error = await Assert.ThrowsAsync<SqlException>(() => waiting);
        Assert.Equal(SqlState.SerializationFailure, error.SqlState);
        Assert.Equal("ROLLBACK", (await SqlTestDatabase.RunAsync(other, "COMMIT")).Tag);
        Assert.Equal(["1"], await _db.LinesAsync("SELECT v FROM k"));
    }

    [Fact]
    public async Task A_lone_ddl_statement_overtaken_by_another_sessions_ddl_runs_again_instead_of_failing()
    {
        await using var other = _db.NewSession();

        // The slow statement's transaction begins before the other session's DDL commits and ends after it. It
        // sleeps on a thread of its own, so the other session is not left waiting for a pool thread.
        var slow = Task.Factory.StartNew(
            () => _db.RunAsync("CREATE TABLE slow AS SELECT 1 AS x FROM (SELECT pg_sleep(0.5)) AS pause"),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        await Task.Delay(100);
        await SqlTestDatabase.RunAsync(other, "CREATE TABLE quick (y int)");
        Assert.False(slow.IsCompleted);

        Assert.Equal("SELECT 1", (await slow).Tag);
        Assert.Equal(["1"], await _db.LinesAsync("SELECT x FROM slow"));
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM quick"));
    }

    [Fact]
    public async Task A_lone_update_of_a_table_altered_meanwhile_runs_again_against_the_new_definition()
    {
        await _db.RunAsync("CREATE TABLE k (id int PRIMARY KEY, v int)");
        await _db.RunAsync("INSERT INTO k VALUES (1, 0)");
        await using var holder = _db.NewSession();
        await using var other = _db.NewSession();
        await SqlTestDatabase.RunAsync(holder, "BEGIN");
        await SqlTestDatabase.RunAsync(holder, "UPDATE k SET v = 1 WHERE id = 1");

        var waiting = _db.RunAsync("UPDATE k SET v = v + 10 WHERE id = 1");
        await Task.Delay(200);
        await SqlTestDatabase.RunAsync(other, "ALTER TABLE k ADD COLUMN w int DEFAULT 7");
        Assert.False(waiting.IsCompleted);

        // The holder's block wrote under the old definition, so it is the one that fails.
        Assert.Equal(SqlState.SerializationFailure, (await Assert.ThrowsAsync<SqlException>(() => SqlTestDatabase.RunAsync(holder, "COMMIT"))).SqlState);

        Assert.Equal("UPDATE 1", (await waiting).Tag);
        Assert.Equal(["1|10|7"], await _db.LinesAsync("SELECT id, v, w FROM k"));
    }

    [Fact]
    public async Task Ddl_in_a_block_overtaken_by_another_sessions_ddl_still_gives_40001()
    {
        await using var other = _db.NewSession();
        await _db.RunAsync("BEGIN");
        await _db.RunAsync("CREATE TABLE mine (x int)");
        await SqlTestDatabase.RunAsync(other, "CREATE TABLE theirs (y int)");

        // The block's statements may have read the old catalog; only the client can decide to run them again.
        var error = await Assert.ThrowsAsync<SqlException>(() => _db.RunAsync("COMMIT"));
        Assert.Equal(SqlState.SerializationFailure, error.SqlState);
        Assert.Equal(SqlState.UndefinedTable, (await _db.ErrorAsync("SELECT * FROM mine")).SqlState);
        Assert.Equal(["0"], await _db.LinesAsync("SELECT count(*) FROM theirs"));
    }

    [Fact]
    public async Task Set_show_and_reset()
    {
        await _db.RunAsync("SET application_name = 'tool'");
        Assert.Equal(["tool"], await _db.LinesAsync("SHOW application_name"));
        await _db.RunAsync("RESET application_name");
        Assert.Equal([string.Empty], await _db.LinesAsync("SHOW application_name"));
        Assert.Equal(SqlState.UndefinedObject, (await _db.ErrorAsync("SHOW no_such_setting")).SqlState);
    }

    [Fact]
    public async Task Insert_without_a_column_list_fills_the_first_columns_and_defaults_the_rest()
    {
        await _db.RunAsync("CREATE TABLE w (a int, b int DEFAULT 5, c text)");
        Assert.Equal("INSERT 0 1", (await _db.RunAsync("INSERT INTO w VALUES (1)")).Tag);
        Assert.Equal("INSERT 0 2", (await _db.RunAsync("INSERT INTO w VALUES (2, 20), (3, 30)")).Tag);
        await _db.RunAsync("INSERT INTO w SELECT 4");
        Assert.Equal(["1|5|NULL", "2|20|NULL", "3|30|NULL", "4|5|NULL"], await _db.LinesAsync("SELECT a, b, c FROM w ORDER BY a"));

        // As PostgreSQL words these.
        var ragged = await _db.ErrorAsync("INSERT INTO w VALUES (5), (6, 60)");
        Assert.Equal((SqlState.SyntaxError, "VALUES lists must all be the same length"), (ragged.SqlState, ragged.Message));
        var tooMany = await _db.ErrorAsync("INSERT INTO w VALUES (7, 70, 'x', 'extra')");
        Assert.Equal((SqlState.SyntaxError, "INSERT has more expressions than target columns"), (tooMany.SqlState, tooMany.Message));
        var tooFew = await _db.ErrorAsync("INSERT INTO w (a, b) VALUES (8)");
        Assert.Equal((SqlState.SyntaxError, "INSERT has more target columns than expressions"), (tooFew.SqlState, tooFew.Message));
        Assert.Equal(["4"], await _db.LinesAsync("SELECT count(*) FROM w"));

        // A GENERATED ALWAYS identity column left to its default is not an insert into it.
        await _db.RunAsync("CREATE TABLE g (name text, id int GENERATED ALWAYS AS IDENTITY)");
        await _db.RunAsync("INSERT INTO g VALUES ('first')");
        Assert.Equal(["first|1"], await _db.LinesAsync("SELECT name, id FROM g"));
        Assert.Equal(SqlState.GeneratedAlways, (await _db.ErrorAsync("INSERT INTO g VALUES ('second', 7)")).SqlState);
    }

    [Fact]
    public async Task Adding_a_not_null_column_without_a_default_to_a_table_with_rows_is_a_not_null_violation()
    {
        await _db.RunAsync("CREATE TABLE filled (a int)");
        await _db.RunAsync("INSERT INTO filled VALUES (1)");
        var error = await _db.ErrorAsync("ALTER TABLE filled ADD COLUMN b int NOT NULL");
        Assert.Equal((SqlState.NotNullViolation, "column \"b\" of relation \"filled\" contains null values"), (error.SqlState, error.Message));
        Assert.Equal(["1"], await _db.LinesAsync("SELECT * FROM filled"));

        // An empty table takes it; its rows then need a value.
        await _db.RunAsync("CREATE TABLE empty (a int)");
        await _db.RunAsync("ALTER TABLE empty ADD COLUMN b int NOT NULL");
        Assert.Equal(SqlState.NotNullViolation, (await _db.ErrorAsync("INSERT INTO empty VALUES (1)")).SqlState);
        await _db.RunAsync("INSERT INTO empty VALUES (1, 2)");
        Assert.Equal(["1|2"], await _db.LinesAsync("SELECT a, b FROM empty"));
    }
}
