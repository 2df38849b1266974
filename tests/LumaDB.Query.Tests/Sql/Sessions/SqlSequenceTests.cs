using LumaDB.Engine.Hosting;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>Sequences, serial and identity columns, and the volatile functions, over a real database.</summary>
public sealed class SqlSequenceTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await SqlTestDatabase.OpenAsync(PgCatalog.Instance);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<(List<string?[]> Rows, string Tag)> RunAsync(string sql) => _db.RunAsync(sql);

    private Task<string[]> LinesAsync(string sql) => _db.LinesAsync(sql);

    private Task<SqlException> ErrorAsync(string sql) => _db.ErrorAsync(sql);

    [Fact]
    public async Task Nextval_counts_by_the_options_and_currval_lastval_and_setval_follow_it()
    {
        await RunAsync("CREATE SEQUENCE s START 10 INCREMENT BY 5 MAXVALUE 30");
        Assert.Equal(SqlState.ObjectNotInPrerequisiteState, (await ErrorAsync("SELECT currval('s')")).SqlState);
        Assert.Equal(SqlState.ObjectNotInPrerequisiteState, (await ErrorAsync("SELECT lastval()")).SqlState);
        Assert.Equal(["10|15"], await LinesAsync("SELECT nextval('s'), nextval('s')"));
        Assert.Equal(["15|15"], await LinesAsync("SELECT currval('s'), lastval()"));
        Assert.Equal(["15|3|t"], await LinesAsync("SELECT * FROM s"));
        Assert.Equal(["20", "25", "30"], await LinesAsync("SELECT nextval('s') FROM generate_series(1, 3)"));

        var limit = await ErrorAsync("SELECT nextval('s')");
        Assert.Equal(SqlState.SequenceGeneratorLimitExceeded, limit.SqlState);
        Assert.Equal("nextval: reached maximum value of sequence \"s\" (30)", limit.Message);

        Assert.Equal("DISCARD SEQUENCES", (await RunAsync("DISCARD SEQUENCES")).Tag);
        Assert.Equal(SqlState.ObjectNotInPrerequisiteState, (await ErrorAsync("SELECT currval('s')")).SqlState);

        Assert.Equal(["12"], await LinesAsync("SELECT setval('s', 12, false)"));
        Assert.Equal(["12|t"], await LinesAsync("SELECT nextval('s'), currval('s') = 12"));
        Assert.Equal(SqlState.NumericValueOutOfRange, (await ErrorAsync("SELECT setval('s', 31)")).SqlState);

        // Counting down, and wrapping around with CYCLE.
        await RunAsync("CREATE SEQUENCE down INCREMENT -1 MINVALUE 1 MAXVALUE 3 CYCLE");
        Assert.Equal(["3", "2", "1", "3", "2"], await LinesAsync("SELECT nextval('down') FROM generate_series(1, 5)"));

        // The type bounds a sequence, and bad definitions are refused.
        await RunAsync("CREATE SEQUENCE tiny AS smallint START 32766");
        Assert.Equal(["32766", "32767"], await LinesAsync("SELECT nextval('tiny') FROM generate_series(1, 2)"));
        Assert.Equal(SqlState.SequenceGeneratorLimitExceeded, (await ErrorAsync("SELECT nextval('tiny')")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue, (await ErrorAsync("CREATE SEQUENCE z INCREMENT 0")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue, (await ErrorAsync("CREATE SEQUENCE z START 0")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue, (await ErrorAsync("CREATE SEQUENCE z AS smallint MAXVALUE 40000")).SqlState);
        Assert.Equal(SqlState.InvalidParameterValue, (await ErrorAsync("CREATE SEQUENCE z AS text")).SqlState);
        Assert.Equal(SqlState.DuplicateTable, (await ErrorAsync("CREATE SEQUENCE s")).SqlState);
        Assert.Equal(SqlState.UndefinedTable, (await ErrorAsync("SELECT nextval('nosuch')")).SqlState);
    }

    [Fact]
    public async Task A_value_taken_in_a_rolled_back_transaction_is_not_handed_out_again()
    {
        await RunAsync("CREATE SEQUENCE s");
        await RunAsync("BEGIN");
        Assert.Equal(["1"], await LinesAsync("SELECT nextval('s')"));
        await RunAsync("ROLLBACK");
        Assert.Equal(["2"], await LinesAsync("SELECT nextval('s')"));

        // The definition is transactional: a sequence created in a rolled-back block is gone.
        await RunAsync("BEGIN");
        await RunAsync("CREATE SEQUENCE gone");
        Assert.Equal(["1"], await LinesAsync("SELECT nextval('gone')"));
        await RunAsync("ROLLBACK");
        Assert.Equal(SqlState.UndefinedTable, (await ErrorAsync("SELECT nextval('gone')")).SqlState);
    }

    [Fact]
    public async Task Serial_columns_number_every_row_and_spend_no_value_on_rows_that_bring_their_own()
    {
        await RunAsync("CREATE TABLE t (id serial PRIMARY KEY, name text)");
        Assert.Equal(["1", "2"], (await RunAsync("INSERT INTO t (name) VALUES ('a'), ('b') RETURNING id")).Rows.Select(r => r[0]!).ToArray());
        await RunAsync("INSERT INTO t (id, name) VALUES (100, 'own')");
        await RunAsync("INSERT INTO t (name) SELECT 'g' || g FROM generate_series(1, 3) AS g");
        await RunAsync("INSERT INTO t VALUES (DEFAULT, 'by default')");
        await RunAsync("INSERT INTO t DEFAULT VALUES");
        Assert.Equal(["1|a", "2|b", "3|g1", "4|g2", "5|g3", "6|by default", "7|NULL", "100|own"], await LinesAsync("SELECT id, name FROM t ORDER BY id"));
        Assert.Equal(["public.t_id_seq|integer"], await LinesAsync("SELECT pg_get_serial_sequence('t', 'id'), data_type FROM information_schema.sequences WHERE sequence_name = 't_id_seq'"));
        Assert.Equal(["nextval('t_id_seq'::regclass)"], await LinesAsync("SELECT column_default FROM information_schema.columns WHERE table_name = 't' AND column_name = 'id'"));

        // A second serial table of the same name pattern gets its own sequence.
        await RunAsync("CREATE SEQUENCE u_id_seq");
        await RunAsync("CREATE TABLE u (id bigserial, v int)");
        Assert.Equal(["public.u_id_seq1"], await LinesAsync("SELECT pg_get_serial_sequence('u', 'id')"));

        // A serial's sequence goes with its table, and cannot go alone without CASCADE.
        Assert.Equal(SqlState.DependentObjectsStillExist, (await ErrorAsync("DROP SEQUENCE t_id_seq")).SqlState);
        await RunAsync("DROP TABLE t");
        Assert.Equal(SqlState.UndefinedTable, (await ErrorAsync("SELECT nextval('t_id_seq')")).SqlState);
        await RunAsync("DROP SEQUENCE u_id_seq1 CASCADE");
        Assert.Equal(["NULL"], await LinesAsync("SELECT column_default FROM information_schema.columns WHERE table_name = 'u' AND column_name = 'id'"));
    }

    [Fact]
    public async Task Identity_columns_generate_values_and_always_refuses_given_ones()
    {
        await RunAsync("CREATE TABLE a (id int GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10), v text)");
        await RunAsync("CREATE TABLE d (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)");
        Assert.Equal(["100|x", "110|y"], (await RunAsync("INSERT INTO a (v) VALUES ('x'), ('y') RETURNING *")).Rows.Select(r => string.Join('|', r)).ToArray());
        Assert.Equal(SqlState.GeneratedAlways, (await ErrorAsync("INSERT INTO a (id, v) VALUES (1, 'z')")).SqlState);
        Assert.Equal(SqlState.GeneratedAlways, (await ErrorAsync("INSERT INTO a SELECT 1, 'z'")).SqlState);
        Assert.Equal(SqlState.GeneratedAlways, (await ErrorAsync("UPDATE a SET id = 5")).SqlState);
        await RunAsync("INSERT INTO a (id, v) VALUES (DEFAULT, 'w')");
        Assert.Equal(["100", "110", "120"], await LinesAsync("SELECT id FROM a ORDER BY id"));

        await RunAsync("INSERT INTO d (v) VALUES ('p')");
        await RunAsync("INSERT INTO d (id, v) VALUES (50, 'given')");
        await RunAsync("INSERT INTO d (v) VALUES ('q')");
        Assert.Equal(["1|p", "2|q", "50|given"], await LinesAsync("SELECT * FROM d ORDER BY id"));

        // Identity sequences are not listed in information_schema.sequences; pg_attribute marks the column.
        Assert.Equal(["0"], await LinesAsync("SELECT count(*) FROM information_schema.sequences"));
        Assert.Equal(["id|a"], await LinesAsync("SELECT attname, attidentity FROM pg_attribute WHERE attrelid = 'a'::regclass AND attidentity <> ''"));
        Assert.Equal(SqlState.DependentObjectsStillExist, (await ErrorAsync("DROP SEQUENCE a_id_seq")).SqlState);
        Assert.Equal(SqlState.FeatureNotSupported, (await ErrorAsync("ALTER TABLE d ADD COLUMN n serial")).SqlState);
    }

    [Fact]
    public async Task An_identity_column_keeps_its_sequence_through_alter_table_rewrites_and_renames()
    {
        await RunAsync("CREATE TABLE r (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)");
        await RunAsync("INSERT INTO r (v) VALUES ('one')");

        // Adding a column rewrites the table under a new id; the sequence must follow it.
        await RunAsync("ALTER TABLE r ADD COLUMN extra int DEFAULT 0");
        await RunAsync("ALTER TABLE r RENAME COLUMN id TO rid");
        await RunAsync("INSERT INTO r (v) VALUES ('two')");
        Assert.Equal(["1|one|0", "2|two|0"], await LinesAsync("SELECT rid, v, extra FROM r ORDER BY rid"));
        Assert.Equal(["public.r_id_seq"], await LinesAsync("SELECT pg_get_serial_sequence('r', 'rid')"));

        // Two columns swapping names in one statement: the sequence stays with its column.
        await RunAsync("ALTER TABLE r RENAME COLUMN rid TO tmp, RENAME COLUMN v TO rid, RENAME COLUMN tmp TO v");
        Assert.Equal(["public.r_id_seq"], await LinesAsync("SELECT pg_get_serial_sequence('r', 'v')"));
        Assert.Equal(["NULL"], await LinesAsync("SELECT pg_get_serial_sequence('r', 'rid')"));

        // Dropping the column drops the sequence it owns.
        await RunAsync("CREATE TABLE k (k int PRIMARY KEY, n serial)");
        await RunAsync("ALTER TABLE k DROP COLUMN n");
        Assert.Equal(SqlState.UndefinedTable, (await ErrorAsync("SELECT nextval('k_n_seq')")).SqlState);
    }

    [Fact]
    public async Task Alter_sequence_restart_truncate_restart_identity_and_set_default()
    {
        await RunAsync("CREATE TABLE t (id serial PRIMARY KEY, v text)");
        await RunAsync("INSERT INTO t (v) VALUES ('a'), ('b')");
        await RunAsync("TRUNCATE t RESTART IDENTITY");
        Assert.Equal(["1"], (await RunAsync("INSERT INTO t (v) VALUES ('c') RETURNING id")).Rows.Select(r => r[0]!).ToArray());

        await RunAsync("CREATE SEQUENCE s");
        await RunAsync("SELECT nextval('s')");
        await RunAsync("ALTER SEQUENCE s RESTART WITH 40 INCREMENT BY 5");
        Assert.Equal(["40", "45"], await LinesAsync("SELECT nextval('s') FROM generate_series(1, 2)"));
        await RunAsync("CREATE SEQUENCE narrow");
        await RunAsync("ALTER SEQUENCE narrow AS smallint");
        Assert.Equal(["smallint|1|32767"], await LinesAsync("SELECT data_type, minimum_value, maximum_value FROM information_schema.sequences WHERE sequence_name = 'narrow'"));
        await RunAsync("ALTER SEQUENCE s RENAME TO s2");
        Assert.Equal(["50"], await LinesAsync("SELECT nextval('s2')"));

        await RunAsync("CREATE TABLE w (id int PRIMARY KEY, n bigint)");
        await RunAsync("ALTER TABLE w ALTER COLUMN n SET DEFAULT nextval('s2')");
        await RunAsync("INSERT INTO w (id) VALUES (1), (2)");
        Assert.Equal(["1|55", "2|60"], await LinesAsync("SELECT * FROM w ORDER BY id"));
        Assert.Equal(SqlState.FeatureNotSupported, (await ErrorAsync("ALTER TABLE w ADD COLUMN r float8 DEFAULT random()")).SqlState);
    }

    [Fact]
    public async Task Random_and_gen_random_uuid_give_each_row_its_own_value()
    {
        Assert.Equal(["200|t"], await LinesAsync("SELECT count(DISTINCT r), bool_and(r >= 0 AND r < 1) FROM (SELECT random() AS r FROM generate_series(1, 200)) AS x"));
        Assert.Equal(["200|t"], await LinesAsync("SELECT count(DISTINCT u), bool_and(substr(u::text, 15, 1) = '4') FROM (SELECT gen_random_uuid() AS u FROM generate_series(1, 200)) AS x"));

        await RunAsync("CREATE TABLE e (id uuid DEFAULT gen_random_uuid() PRIMARY KEY, v int)");
        await RunAsync("INSERT INTO e (v) SELECT g FROM generate_series(1, 50) AS g");
        Assert.Equal(["50"], await LinesAsync("SELECT count(DISTINCT id) FROM e"));
    }

    [Fact]
    public async Task An_aggregate_that_could_run_in_parallel_takes_sequence_values_on_the_statements_own_runtime()
    {
        await RunAsync("CREATE SEQUENCE s");
        await RunAsync("CREATE TABLE big (id bigint PRIMARY KEY, v int)");
        await RunAsync("INSERT INTO big SELECT g, g % 7 FROM generate_series(1, 10000) AS g");
        await _db.Database.FlushAsync();
        await RunAsync("INSERT INTO big SELECT g, g % 7 FROM generate_series(10001, 20000) AS g");
        await _db.Database.FlushAsync();
        await using var parallel = new SqlSession(_db.Database, PgCatalog.Instance) { ParallelWorkers = 3, ParallelMinRows = 1 };

        // The same aggregate without the sequence does run on workers.
        var (plan, _) = await SqlTestDatabase.RunAsync(parallel, "EXPLAIN ANALYZE SELECT v, count(id) FROM big GROUP BY v");
        Assert.Contains(plan, line => line[0]!.Contains("Workers Planned: 3", StringComparison.Ordinal));

        var (rows, _) = await SqlTestDatabase.RunAsync(parallel, "SELECT sum(c) FROM (SELECT v, count(nextval('s')) AS c FROM big GROUP BY v) AS g");
        Assert.Equal("20000", rows[0][0]);
        (rows, _) = await SqlTestDatabase.RunAsync(parallel, "SELECT currval('s')");
        Assert.Equal("20000", rows[0][0]);
    }

    [Fact]
    public async Task Sessions_taking_values_at_once_never_get_the_same_one()
    {
        await RunAsync("CREATE SEQUENCE shared");
        var sessions = Enumerable.Range(0, 6).Select(_ => _db.NewSession()).ToArray();
        try
        {
            var takes = sessions.Select(session => Task.Run(async () =>
            {
                var values = new List<long>();
                for (var i = 0; i < 100; i++)
                {
                    var (rows, _) = await SqlTestDatabase.RunAsync(session, "SELECT nextval('shared')");
                    values.Add(long.Parse(rows[0][0]!, System.Globalization.CultureInfo.InvariantCulture));
                }

                // Each session sees its own values rise.
                Assert.Equal(values.Order(), values);
                return values;
            })).ToArray();
            var all = (await Task.WhenAll(takes)).SelectMany(v => v).ToList();
            Assert.Equal(600, all.Distinct().Count());
            Assert.Equal(Enumerable.Range(1, 600).Select(i => (long)i), all.Order());
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Values_continue_after_a_clean_restart_without_a_gap()
    {
        var directory = Path.Combine(Path.GetTempPath(), "luma-seq-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await OpenAsync(directory))
            await using (var session = new SqlSession(first))
            {
                await SqlTestDatabase.RunAsync(session, "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY, v text)");
                await SqlTestDatabase.RunAsync(session, "INSERT INTO t (v) SELECT 'x' FROM generate_series(1, 5)");
                await SqlTestDatabase.RunAsync(session, "CREATE SEQUENCE s START 7");
                await SqlTestDatabase.RunAsync(session, "SELECT setval('s', 70)");
            }

            await using var second = await OpenAsync(directory);
            await using var again = new SqlSession(second);
            var (rows, _) = await SqlTestDatabase.RunAsync(again, "INSERT INTO t (v) VALUES ('after') RETURNING id");
            Assert.Equal("6", rows[0][0]);
            (rows, _) = await SqlTestDatabase.RunAsync(again, "SELECT nextval('s')");
            Assert.Equal("71", rows[0][0]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Database> OpenAsync(string directory)
    {
        var database = new Database(directory, new DatabaseOptions { FsyncMode = WalFsyncMode.Never }, NullLogger<Database>.Instance);
        await database.RecoverAsync(CancellationToken.None);
        return database;
    }

    [Fact]
    public async Task Overriding_system_value_stores_given_identities_and_overriding_user_value_ignores_them()
    {
        // The statements and results of the same session on PostgreSQL 15.
        await RunAsync("CREATE TABLE o1 (id int GENERATED ALWAYS AS IDENTITY, v text)");
        await RunAsync("CREATE TABLE o2 (id int GENERATED BY DEFAULT AS IDENTITY, v text)");
        await RunAsync("CREATE TABLE o3 (id int, v text)");
        Assert.Equal(SqlState.GeneratedAlways, (await ErrorAsync("INSERT INTO o1 VALUES (10, 'x')")).SqlState);
        await RunAsync("INSERT INTO o1 OVERRIDING SYSTEM VALUE VALUES (10, 'a')");
        await RunAsync("INSERT INTO o1 OVERRIDING USER VALUE VALUES (10, 'b')");
        await RunAsync("INSERT INTO o1 VALUES (DEFAULT, 'c')");
        await RunAsync("INSERT INTO o2 OVERRIDING USER VALUE VALUES (10, 'd')");
        await RunAsync("INSERT INTO o2 OVERRIDING SYSTEM VALUE VALUES (11, 'e')");
        await RunAsync("INSERT INTO o3 OVERRIDING SYSTEM VALUE VALUES (1, 'f')");
        await RunAsync("INSERT INTO o3 OVERRIDING USER VALUE VALUES (1, 'g')");
        await RunAsync("INSERT INTO o1 OVERRIDING USER VALUE SELECT 99, v FROM (VALUES ('h'), ('i')) AS t (v)");

        Assert.Equal(["1|b", "2|c", "3|h", "4|i", "10|a"], await LinesAsync("SELECT id, v FROM o1 ORDER BY id"));
        Assert.Equal(["1|d", "11|e"], await LinesAsync("SELECT id, v FROM o2 ORDER BY id"));
        Assert.Equal(["1|f", "1|g"], await LinesAsync("SELECT id, v FROM o3 ORDER BY v"));
    }
}
