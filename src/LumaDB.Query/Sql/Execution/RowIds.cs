namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Values for the hidden row-id key of tables without a primary key: strictly increasing 64-bit numbers
/// seeded from the microsecond clock, so ids stay unique and in insertion order across sessions and restarts.
/// </summary>
internal static class RowIds
{
    private static long _last;

    public static long Next()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            var next = Math.Max(last + 1, now);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
