namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// What one session remembers of sequences, as PostgreSQL's backends do: the value each sequence last gave it
/// (currval) and the sequence nextval last advanced (lastval). Transactions do not touch it.
/// </summary>
public sealed class SessionSequences
{
    private readonly Dictionary<ulong, long> _current = [];
    private ulong? _lastUsed;

    /// <summary>Records a value nextval returned.</summary>
    public void Advanced(ulong sequenceId, long value)
    {
        lock (_current)
        {
            _current[sequenceId] = value;
            _lastUsed = sequenceId;
        }
    }

    /// <summary>Records a value setval set with is_called: currval reports it, lastval does not move to it.</summary>
    public void Set(ulong sequenceId, long value)
    {
        lock (_current)
        {
            _current[sequenceId] = value;
        }
    }

    /// <summary>Forgets everything (DISCARD SEQUENCES, DISCARD ALL).</summary>
    public void Clear()
    {
        lock (_current)
        {
            _current.Clear();
            _lastUsed = null;
        }
    }

    /// <summary>The value currval reports, or null before the session's first nextval of the sequence.</summary>
    public long? Current(ulong sequenceId)
    {
        lock (_current)
        {
            return _current.TryGetValue(sequenceId, out var value) ? value : null;
        }
    }

    /// <summary>The sequence nextval last advanced in this session, or null.</summary>
    public ulong? LastUsed
    {
        get
        {
            lock (_current)
            {
                return _lastUsed;
            }
        }
    }
}
