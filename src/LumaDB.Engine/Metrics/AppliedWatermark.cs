namespace LumaDB.Engine.Metrics;

/// <summary>
/// Tracks which sample log records have been applied to the hot tier. Records are appended with consecutive LSNs
/// but applied as their writes resume, in any order; <see cref="Below"/> is the LSN below which every record is
/// applied, so a checkpoint that captures the hot tier afterwards covers all of them.
/// </summary>
internal sealed class AppliedWatermark
{
    private readonly Lock _lock = new();
    private readonly SortedSet<ulong> _ahead = [];
    private ulong _next;

    /// <summary>Starts at the log's next LSN: every earlier record was replayed already.</summary>
    public AppliedWatermark(ulong nextLsn) => _next = nextLsn;

    /// <summary>The LSN below which every record is applied.</summary>
    public ulong Below
    {
        get
        {
            lock (_lock)
            {
                return _next;
            }
        }
    }

    /// <summary>Records that the record <paramref name="lsn"/> is applied (or will never be).</summary>
    public void Complete(ulong lsn)
    {
        lock (_lock)
        {
            if (lsn != _next)
            {
                _ahead.Add(lsn);
                return;
            }

            _next++;
            while (_ahead.Count > 0 && _ahead.Min == _next)
            {
                _ahead.Remove(_next);
                _next++;
            }
        }
    }
}
