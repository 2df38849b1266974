using System.Diagnostics;
using LumaDB.Server.Tests.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace LumaDB.Server.Tests.Postgres;

/// <summary>COPY FROM STDIN and TO STDOUT through Npgsql's import and export APIs and Debian's psql \copy.</summary>
public sealed class PostgresCopyTests(RunningServerFixture fixture) : IClassFixture<RunningServerFixture>
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={fixture.Luma.Ports.Postgres};Username=luma;Database=luma;Timeout=5;Command Timeout=60;Pooling=false;Server Compatibility Mode=NoTypeLoading");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Binary_import_and_export_round_trip_every_supported_type()
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, """
            CREATE TABLE copy_types (id int PRIMARY KEY, b boolean, i2 smallint, i8 bigint, f4 real, f8 double precision,
              n numeric, t text, vc varchar(10), bc char(3), by bytea, d date, tm time, ts timestamp, tz timestamptz,
              iv interval, u uuid, j jsonb, ai int[], at text[])
            """);
        var uuid = Guid.NewGuid();
        var stamp = new DateTime(2024, 2, 29, 13, 14, 15, 123, DateTimeKind.Unspecified).AddTicks(4560);
        await using (var import = await connection.BeginBinaryImportAsync("COPY copy_types FROM STDIN (FORMAT BINARY)"))
        {
            await import.StartRowAsync();
            await import.WriteAsync(1, NpgsqlDbType.Integer);
            await import.WriteAsync(true, NpgsqlDbType.Boolean);
            await import.WriteAsync((short)-7, NpgsqlDbType.Smallint);
            await import.WriteAsync(9_000_000_000L, NpgsqlDbType.Bigint);
            await import.WriteAsync(1.5f, NpgsqlDbType.Real);
            await import.WriteAsync(-2.25, NpgsqlDbType.Double);
            await import.WriteAsync(12345.678m, NpgsqlDbType.Numeric);
            await import.WriteAsync("tab\there \"q\" \\ é", NpgsqlDbType.Text);
            await import.WriteAsync("short", NpgsqlDbType.Varchar);
            await import.WriteAsync("ab", NpgsqlDbType.Char);
            await import.WriteAsync(new byte[] { 0, 1, 255 }, NpgsqlDbType.Bytea);
            await import.WriteAsync(new DateOnly(1999, 12, 31), NpgsqlDbType.Date);
            await import.WriteAsync(new TimeOnly(23, 59, 58), NpgsqlDbType.Time);
            await import.WriteAsync(stamp, NpgsqlDbType.Timestamp);
            await import.WriteAsync(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
            await import.WriteAsync(new TimeSpan(3, 4, 5, 6), NpgsqlDbType.Interval);
            await import.WriteAsync(uuid, NpgsqlDbType.Uuid);
            await import.WriteAsync("{\"a\": [1, 2]}", NpgsqlDbType.Jsonb);
            await import.WriteAsync(new[] { 1, 2, 3 }, NpgsqlDbType.Array | NpgsqlDbType.Integer);
            await import.WriteAsync(new[] { "x", "y z" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
            await import.StartRowAsync();
            await import.WriteAsync(2, NpgsqlDbType.Integer);
            for (var i = 1; i < 20; i++)
            {
                await import.WriteNullAsync();
            }

            Assert.Equal(2UL, await import.CompleteAsync());
        }

        var rows = new List<object?[]>();
        await using (var export = await connection.BeginBinaryExportAsync("COPY copy_types TO STDOUT (FORMAT BINARY)"))
        {
            while (await export.StartRowAsync() >= 0)
            {
                rows.Add([
                    await export.ReadAsync<int>(NpgsqlDbType.Integer), await ReadOrNullAsync<bool>(export, NpgsqlDbType.Boolean),
                    await ReadOrNullAsync<short>(export, NpgsqlDbType.Smallint), await ReadOrNullAsync<long>(export, NpgsqlDbType.Bigint),
                    await ReadOrNullAsync<float>(export, NpgsqlDbType.Real), await ReadOrNullAsync<double>(export, NpgsqlDbType.Double),
                    await ReadOrNullAsync<decimal>(export, NpgsqlDbType.Numeric), await ReadOrNullAsync<string>(export, NpgsqlDbType.Text),
                    await ReadOrNullAsync<string>(export, NpgsqlDbType.Varchar), await ReadOrNullAsync<string>(export, NpgsqlDbType.Char),
                    await ReadOrNullAsync<byte[]>(export, NpgsqlDbType.Bytea), await ReadOrNullAsync<DateOnly>(export, NpgsqlDbType.Date),
                    await ReadOrNullAsync<TimeOnly>(export, NpgsqlDbType.Time), await ReadOrNullAsync<DateTime>(export, NpgsqlDbType.Timestamp),
                    await ReadOrNullAsync<DateTime>(export, NpgsqlDbType.TimestampTz), await ReadOrNullAsync<TimeSpan>(export, NpgsqlDbType.Interval),
                    await ReadOrNullAsync<Guid>(export, NpgsqlDbType.Uuid), await ReadOrNullAsync<string>(export, NpgsqlDbType.Jsonb),
                    await ReadOrNullAsync<int[]>(export, NpgsqlDbType.Array | NpgsqlDbType.Integer), await ReadOrNullAsync<string[]>(export, NpgsqlDbType.Array | NpgsqlDbType.Text),
                ]);
            }
        }

        Assert.Equal(2, rows.Count);
        var first = rows.Single(r => (int)r[0]! == 1);
        Assert.Equal<object?>(true, first[1]);
        Assert.Equal<object?>((short)-7, first[2]);
        Assert.Equal<object?>(9_000_000_000L, first[3]);
        Assert.Equal<object?>(1.5f, first[4]);
        Assert.Equal<object?>(-2.25, first[5]);
        Assert.Equal<object?>(12345.678m, first[6]);
        Assert.Equal<object?>("tab\there \"q\" \\ é", first[7]);
        Assert.Equal<object?>("short", first[8]);
        Assert.Equal<object?>("ab ", first[9]);
        Assert.Equal(new byte[] { 0, 1, 255 }, (byte[])first[10]!);
        Assert.Equal<object?>(new DateOnly(1999, 12, 31), first[11]);
        Assert.Equal<object?>(new TimeOnly(23, 59, 58), first[12]);
        Assert.Equal<object?>(stamp, first[13]);
        Assert.Equal(new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc), ((DateTime)first[14]!).ToUniversalTime());
        Assert.Equal<object?>(new TimeSpan(3, 4, 5, 6), first[15]);
        Assert.Equal<object?>(uuid, first[16]);
        Assert.Equal<object?>("{\"a\": [1, 2]}", first[17]);
        Assert.Equal(new[] { 1, 2, 3 }, (int[])first[18]!);
        Assert.Equal(new[] { "x", "y z" }, (string[])first[19]!);
        Assert.All(rows.Single(r => (int)r[0]! == 2).Skip(1), Assert.Null);
    }

    private static async Task<object?> ReadOrNullAsync<T>(NpgsqlBinaryExporter export, NpgsqlDbType type)
    {
        // The exporter refuses to read a NULL column into any type, nullable or not: it has to be skipped.
        if (export.IsNull)
        {
            await export.SkipAsync();
            return null;
        }

        return await export.ReadAsync<T>(type);
    }

    [Fact]
    public async Task Text_import_and_export_keep_escapes_tabs_newlines_and_nulls()
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, "CREATE TABLE copy_text (id int PRIMARY KEY, name text, v float8)");
        await using (var writer = await connection.BeginTextImportAsync("COPY copy_text (id, name, v) FROM STDIN"))
        {
            // Rows split across writes on purpose: the server must join CopyData pieces.
            await writer.WriteAsync("1\tplain\t1.5\n2\t\\N\t");
            await writer.FlushAsync();
            await writer.WriteAsync("2.5\n3\ttab\\there\\nnew \\\\ back\t\\N\n");
        }

        Assert.Equal(3L, await ScalarAsync(connection, "SELECT count(*) FROM copy_text"));
        Assert.Equal("tab\there\nnew \\ back", await ScalarAsync(connection, "SELECT name FROM copy_text WHERE id = 3"));
        Assert.Equal(DBNull.Value, await ScalarAsync(connection, "SELECT name FROM copy_text WHERE id = 2"));

        using var reader = await connection.BeginTextExportAsync("COPY copy_text TO STDOUT");
        var text = await reader.ReadToEndAsync();
        Assert.Equal("1\tplain\t1.5\n2\t\\N\t2.5\n3\ttab\\there\\nnew \\\\ back\t\\N\n", text);
    }

    [Fact]
    public async Task Csv_import_reads_quotes_empty_strings_nulls_and_a_header_and_export_quotes_what_needs_it()
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, "CREATE TABLE copy_csv (id int PRIMARY KEY, a text, b text)");
        await using (var writer = await connection.BeginTextImportAsync("COPY copy_csv FROM STDIN WITH (FORMAT csv, HEADER true)"))
        {
            await writer.WriteAsync("id,a,b\n1,\"he said \"\"hi\"\"\",\"\"\n2,,\"line one\nline two\"\n3,\"a,b\",x\n");
        }

        Assert.Equal("he said \"hi\"", await ScalarAsync(connection, "SELECT a FROM copy_csv WHERE id = 1"));
        Assert.Equal("", await ScalarAsync(connection, "SELECT b FROM copy_csv WHERE id = 1"));
        Assert.Equal(DBNull.Value, await ScalarAsync(connection, "SELECT a FROM copy_csv WHERE id = 2"));
        Assert.Equal("line one\nline two", await ScalarAsync(connection, "SELECT b FROM copy_csv WHERE id = 2"));

        using (var reader = await connection.BeginTextExportAsync("COPY copy_csv TO STDOUT CSV HEADER"))
        {
            Assert.Equal("id,a,b\n1,\"he said \"\"hi\"\"\",\"\"\n2,,\"line one\nline two\"\n3,\"a,b\",x\n", await reader.ReadToEndAsync());
        }

        using (var reader = await connection.BeginTextExportAsync("COPY (SELECT id, b FROM copy_csv WHERE id = 3) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *, DELIMITER ';')"))
        {
            Assert.Equal("\"3\";\"x\"\n", await reader.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task Raw_binary_copy_out_frames_rows_between_the_signature_and_the_trailer()
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, "CREATE TABLE copy_raw (id int PRIMARY KEY)");
        await ScalarAsync(connection, "INSERT INTO copy_raw VALUES (7)");
        using var stream = new MemoryStream();
        await using (var raw = await connection.BeginRawBinaryCopyAsync("COPY copy_raw TO STDOUT (FORMAT BINARY)"))
        {
            await raw.CopyToAsync(stream);
        }

        byte[] expected = [.. "PGCOPY\n"u8, 0xFF, .. "\r\n"u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7, 0xFF, 0xFF];
        Assert.Equal(expected, stream.ToArray());

        await ScalarAsync(connection, "DELETE FROM copy_raw");
        await using (var raw = await connection.BeginRawBinaryCopyAsync("COPY copy_raw FROM STDIN (FORMAT BINARY)"))
        {
            await raw.WriteAsync(expected);
        }

        Assert.Equal(7, await ScalarAsync(connection, "SELECT id FROM copy_raw"));
    }

    [Fact]
    public async Task A_failing_copy_changes_nothing_names_the_line_and_leaves_the_connection_usable()
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, "CREATE TABLE copy_fail (id int PRIMARY KEY, v int NOT NULL)");
        var bad = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY copy_fail FROM STDIN");
            await writer.WriteAsync("1\t10\n2\t20\n3\tthirty\n4\t40\n");
        });
        Assert.Equal("22P02", bad.SqlState);
        Assert.Equal("COPY copy_fail, line 3, column v: \"thirty\"", bad.Where);

        var shape = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY copy_fail FROM STDIN");
            await writer.WriteAsync("1\t10\n2\n");
        });
        Assert.Equal("22P04", shape.SqlState);
        Assert.StartsWith("COPY copy_fail, line 2", shape.Where, StringComparison.Ordinal);

        var duplicate = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY copy_fail FROM STDIN");
            await writer.WriteAsync("1\t10\n1\t11\n");
        });
        Assert.Equal("23505", duplicate.SqlState);

        await ScalarAsync(connection, "ALTER TABLE copy_fail ADD CONSTRAINT v_small CHECK (v < 100)");
        var check = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY copy_fail FROM STDIN");
            await writer.WriteAsync("1\t10\n2\t200\n");
        });
        Assert.Equal(("23514", "new row for relation \"copy_fail\" violates check constraint \"v_small\""), (check.SqlState, check.MessageText));
        Assert.StartsWith("COPY copy_fail, line 2", check.Where, StringComparison.Ordinal);

        await ScalarAsync(connection, "ALTER TABLE copy_fail ADD CONSTRAINT v_once UNIQUE (v)");
        var unique = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY copy_fail FROM STDIN");
            await writer.WriteAsync("1\t10\n2\t20\n3\t10\n");
        });
        Assert.Equal(("23505", "duplicate key value violates unique constraint \"v_once\""), (unique.SqlState, unique.MessageText));
        Assert.StartsWith("COPY copy_fail, line 3", unique.Where, StringComparison.Ordinal);
        Assert.Equal(("public", "copy_fail", "v_once"), (unique.SchemaName, unique.TableName, unique.ConstraintName));

        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM copy_fail"));
        await using (var writer = await connection.BeginTextImportAsync("COPY copy_fail FROM STDIN"))
        {
            await writer.WriteAsync("5\t50\n");
        }

        Assert.Equal(50, await ScalarAsync(connection, "SELECT v FROM copy_fail WHERE id = 5"));
    }

    [Fact]
    public async Task A_copy_may_reference_rows_it_copies_later_and_fails_whole_on_a_missing_one()
    {
        await using var connection = await OpenAsync();
        await ScalarAsync(connection, "CREATE TABLE copy_tree (id int PRIMARY KEY, up int REFERENCES copy_tree)");
        await using (var writer = await connection.BeginTextImportAsync("COPY copy_tree FROM STDIN"))
        {
            await writer.WriteAsync("2\t1\n1\t\\N\n3\t2\n");
        }

        var missing = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY copy_tree FROM STDIN");
            await writer.WriteAsync("4\t3\n5\t9\n");
        });
        Assert.Equal(("23503", "copy_tree_up_fkey"), (missing.SqlState, missing.ConstraintName));
        Assert.Equal(3L, await ScalarAsync(connection, "SELECT count(*) FROM copy_tree"));
    }

    [Fact]
    public async Task Psql_copy_loads_a_csv_file_with_a_header_and_writes_one_back()
    {
        await using (var connection = await OpenAsync())
        {
            await ScalarAsync(connection, "CREATE TABLE copy_psql (id int PRIMARY KEY, name text, score numeric)");
        }

        var folder = Directory.CreateTempSubdirectory("luma-copy-").FullName;
        try
        {
            var input = Path.Combine(folder, "in.csv");
            var output = Path.Combine(folder, "out.csv");
            await File.WriteAllTextAsync(input, "id,name,score\n1,Ada,9.5\n2,\"Lovelace, A.\",\n3,\"\",7\n");

            var (code, stdout, stderr) = await PsqlAsync("-c", $"\\copy copy_psql from '{input}' csv header", "-c", $"\\copy copy_psql to '{output}' csv header");

            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            Assert.Equal("COPY 3\nCOPY 3\n", stdout);
            Assert.Equal("id,name,score\n1,Ada,9.5\n2,\"Lovelace, A.\",\n3,\"\",7\n", await File.ReadAllTextAsync(output));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(int ExitCode, string Output, string Error)> PsqlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-h", "127.0.0.1", "-p", fixture.Luma.Ports.Postgres.ToString(), "-U", "luma", "-d", "luma", "-X", "-v", "ON_ERROR_STOP=1" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("psql did not start; scripts/test.sh installs postgresql-client");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
