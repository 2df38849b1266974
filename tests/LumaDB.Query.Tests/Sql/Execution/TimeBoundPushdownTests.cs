using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>
/// Bounds on a table's time column by values known only when the statement runs (<c>now() - interval</c>, a
/// parameter) reach storage like constant bounds: on a table with the time in its primary key, a query of the
/// last hour never opens a segment of three days ago. The test deletes that segment's file, so a read of it
/// would fail.
/// </summary>
public sealed class TimeBoundPushdownTests : IAsyncLifetime
{
    private SqlTestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await SqlTestDatabase.OpenAsync();
        await _db.RunAsync("CREATE TABLE readings (device int, ts timestamptz, v int, PRIMARY KEY (device, ts)) WITH (time_index = 'ts')");
        await _db.Database.FlushAsync();
        var before = SegmentFiles();

        // Three days old, then recent, each flushed into its own segment. Other devices, so inserting the recent
        // rows (which looks up their keys) never opens the old segment.
        await _db.RunAsync("INSERT INTO readings SELECT g % 10, now() - interval '3 days' + g * interval '1 second', g % 10 FROM generate_series(1, 1000) g");
        await _db.Database.FlushAsync();
        var old = SegmentFiles().Except(before).Single();
        await _db.RunAsync("INSERT INTO readings SELECT 100 + g % 10, now() - interval '10 minutes' + g * interval '1 millisecond', g % 10 FROM generate_series(1, 600) g");
        await _db.Database.FlushAsync();
        File.Delete(old);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private string[] SegmentFiles() => Directory.GetFiles(_db.Directory, "*.parquet", SearchOption.AllDirectories);

    [Fact]
    public async Task A_bound_on_now_minus_an_interval_skips_the_old_segment()
    {
        Assert.Equal(["600|4.5000000000000000"], await _db.LinesAsync("SELECT count(*), avg(v) FROM readings WHERE ts > now() - interval '1 hour'"));
        Assert.Equal(["60"], await _db.LinesAsync("SELECT count(*) FROM readings WHERE now() - interval '1 hour' < ts AND v = 3"));
        Assert.Equal(["600"], await _db.LinesAsync("SELECT count(*) FROM readings WHERE ts BETWEEN now() - interval '1 hour' AND now()"));

        var plan = string.Join('\n', await _db.LinesAsync("EXPLAIN SELECT count(*) FROM readings WHERE ts > now() - interval '1 hour'"));
        Assert.Contains("Time Bounds (at execution): ts > (now() - ", plan);
    }

    [Fact]
    public async Task A_parameter_bound_skips_the_old_segment()
    {
        var hourAgo = (DateTimeOffset.UtcNow.AddHours(-1) - DateTimeOffset.UnixEpoch).Ticks / 10;
        Assert.Equal(["600"], await _db.LinesAsync("SELECT count(*) FROM readings WHERE ts >= $1::timestamptz", hourAgo));
    }

    [Fact]
    public async Task Reads_that_need_the_old_segment_fail_without_its_file()
    {
        // The deleted file is what the bounds above skip: a scan without them, with a wider one, or with a bound
        // that changes during the statement (clock_timestamp() is volatile, so it is not pushed down) reads it.
        await Assert.ThrowsAnyAsync<Exception>(() => _db.RunAsync("SELECT count(*) FROM readings"));
        await Assert.ThrowsAnyAsync<Exception>(() => _db.RunAsync("SELECT count(*) FROM readings WHERE ts > now() - interval '4 days'"));
        await Assert.ThrowsAnyAsync<Exception>(() => _db.RunAsync("SELECT count(*) FROM readings WHERE ts > clock_timestamp() - interval '1 hour'"));
    }
}
