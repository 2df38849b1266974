namespace LumaDB.Engine.Metrics;

/// <summary>
/// Maps canonical label sets to series ids and keeps inverted postings per (label name, value), so that
/// selectors resolve to ids without scanning every series. Ids are handed out in increasing order, which keeps
/// every postings list sorted by appending. All members are thread-safe.
/// </summary>
public sealed class SeriesIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<LabelSet, ulong> _ids = [];
    // Label sets by id; grown by copy under the lock and read without it by the known-series fast path.
    private LabelSet?[] _labelsById = new LabelSet?[64];
    private int _nextId;
    private int _count;
    private readonly Dictionary<string, Dictionary<string, Postings>> _postings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly Postings _all = Postings.Empty;

    /// <summary>Number of series.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>The id of <paramref name="labels"/>, registering the series on first sight.</summary>
    public ulong GetOrAdd(LabelSet labels)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(labels, out var id) ? id : AddLocked(labels, (ulong)_nextId);
        }
    }

    /// <summary>The index's own instance of <paramref name="labels"/> if the series is known, else <paramref name="labels"/>.</summary>
    public LabelSet Canonical(LabelSet labels)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(labels, out var id) ? _labelsById[(int)id]! : labels;
        }
    }

    /// <summary>The id of <paramref name="labels"/> if the series is known.</summary>
    public bool TryGetId(LabelSet labels, out ulong id)
    {
        lock (_lock)
        {
            return _ids.TryGetValue(labels, out id);
        }
    }

    /// <summary>
    /// Resolves every label set to its id, registering the unknown ones, unless that would take the number of
    /// series above <paramref name="maxSeries"/> (0: no limit): then nothing is registered and -1 is returned.
    /// Otherwise returns how many series were registered.
    /// </summary>
    public int GetOrAddAll(ReadOnlySpan<LabelSet> labels, Span<ulong> ids, long maxSeries)
    {
        lock (_lock)
        {
            // Label sets the index handed out (a remote write receiver's cache holds those) resolve by their id hint
            // without hashing; the rest take one probe, and only a request with new series pays for counting them.
            // Writers still pass here one at a time: resolving without the lock gave no steady-state gain that
            // the in-process bench could tell from its noise, so the simpler ordering stays.
            var unknown = false;
            for (var i = 0; i < labels.Length; i++)
            {
                ids[i] = TryGetIndexedId(labels[i], out var known) ? known : ulong.MaxValue;
            }

            for (var i = 0; i < labels.Length; i++)
            {
                if (ids[i] != ulong.MaxValue)
                {
                    continue;
                }

                if (_ids.TryGetValue(labels[i], out var id))
                {
                    ids[i] = id;
                }
                else
                {
                    unknown = true;
                }
            }

            if (!unknown)
            {
                return 0;
            }

            var seen = new HashSet<LabelSet>();
            for (var i = 0; i < labels.Length; i++)
            {
                if (ids[i] == ulong.MaxValue)
                {
                    seen.Add(labels[i]);
                }
            }

            if (maxSeries > 0 && _count + seen.Count > maxSeries)
            {
                return -1;
            }

            for (var i = 0; i < labels.Length; i++)
            {
                if (ids[i] == ulong.MaxValue)
                {
                    ids[i] = _ids.TryGetValue(labels[i], out var id) ? id : AddLocked(labels[i], (ulong)_nextId);
                }
            }

            return seen.Count;
        }
    }

    /// <summary>
    /// The id of <paramref name="labels"/> when it is this index's own instance of a series, found without the lock;
    /// false for any other instance, even of a known series.
    /// </summary>
    private bool TryGetIndexedId(LabelSet labels, out ulong id)
    {
        var candidate = labels.IndexedId;
        var byId = Volatile.Read(ref _labelsById);
        if ((uint)candidate < (uint)byId.Length && ReferenceEquals(Volatile.Read(ref byId[candidate]), labels))
        {
            id = (ulong)candidate;
            return true;
        }

        id = 0;
        return false;
    }

    /// <summary>Registers a series under the id it had before a restart; ids may have gaps.</summary>
    public void Restore(ulong id, LabelSet labels)
    {
        lock (_lock)
        {
            if (_ids.ContainsKey(labels) || (id < (ulong)_labelsById.Length && _labelsById[(int)id] is not null))
            {
                throw new InvalidOperationException($"Series id {id} or {labels} is already registered.");
            }

            AddLocked(labels, id);
        }
    }

    private ulong AddLocked(LabelSet labels, ulong id)
    {
        var slot = checked((int)id);
        if (slot >= _labelsById.Length)
        {
            var larger = new LabelSet?[Math.Max(slot + 1, (int)Math.Min(Array.MaxLength, _labelsById.Length * 2L))];
            _labelsById.CopyTo(larger, 0);
            Volatile.Write(ref _labelsById, larger);
        }

        _nextId = Math.Max(_nextId, slot + 1);

        // Series share their names and values: one string instance each, however many series use it.
        labels.Intern(_strings);
        Volatile.Write(ref _labelsById[slot], labels);
        labels.IndexedId = slot;
        _ids.Add(labels, id);
        _count++;
        _all.Add(id);
        foreach (var label in labels.Labels)
        {
            if (!_postings.TryGetValue(label.Name, out var byValue))
            {
                byValue = new Dictionary<string, Postings>(StringComparer.Ordinal);
                _postings.Add(label.Name, byValue);
            }

            if (!byValue.TryGetValue(label.Value, out var list))
            {
                list = Postings.Empty;
                byValue.Add(label.Value, list);
            }

            list.Add(id);
        }

        return id;
    }

    /// <summary>The labels of series <paramref name="id"/>.</summary>
    public LabelSet LabelsOf(ulong id)
    {
        lock (_lock)
        {
            return (id < (ulong)_labelsById.Length ? _labelsById[(int)id] : null) ?? throw new KeyNotFoundException($"No series with id {id}.");
        }
    }

    /// <summary>
    /// Ids of the series that satisfy every matcher (Prometheus semantics: a matcher that matches the empty string
    /// also selects series that lack the label). No matchers selects every series.
    /// </summary>
    public Postings Select(IReadOnlyList<SeriesMatcher> matchers)
    {
        lock (_lock)
        {
            Postings? result = null;
            // Matchers that cannot match "" narrow the most; run them first.
            foreach (var m in matchers)
            {
                if (!m.Matches(""))
                {
                    result = result is null ? Positive(m) : Postings.Intersect(result, Positive(m));
                }
            }

            foreach (var m in matchers)
            {
                if (m.Matches(""))
                {
                    // Everything except the series whose value of the label fails the matcher.
                    result = Postings.Subtract(result ?? Copy(_all), Failing(m));
                }
            }

            return result ?? Copy(_all);
        }
    }

    private static Postings Copy(Postings p) => p.Clone();

    private Postings Positive(SeriesMatcher m)
    {
        if (!_postings.TryGetValue(m.Name, out var byValue))
        {
            return Postings.Empty;
        }

        if (m.Type == SeriesMatchType.Equal)
        {
            return byValue.TryGetValue(m.Value, out var exact) ? Copy(exact) : Postings.Empty;
        }

        var result = Postings.Empty;
        foreach (var (value, list) in byValue)
        {
            if (m.Matches(value))
            {
                result = Postings.Union(result, list);
            }
        }

        return result;
    }

    private Postings Failing(SeriesMatcher m)
    {
        var result = Postings.Empty;
        if (!_postings.TryGetValue(m.Name, out var byValue))
        {
            return result;
        }

        foreach (var (value, list) in byValue)
        {
            if (!m.Matches(value))
            {
                result = Postings.Union(result, list);
            }
        }

        return result;
    }

    /// <summary>All label names in use, sorted.</summary>
    public IReadOnlyList<string> LabelNames()
    {
        lock (_lock)
        {
            var names = _postings.Keys.ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
    }

    /// <summary>All values of <paramref name="name"/> in use, sorted.</summary>
    public IReadOnlyList<string> LabelValues(string name)
    {
        lock (_lock)
        {
            if (!_postings.TryGetValue(name, out var byValue))
            {
                return [];
            }

            var values = byValue.Keys.ToList();
            values.Sort(StringComparer.Ordinal);
            return values;
        }
    }
}
