using System.Text;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// An immutable canonical label set: sorted by name (ordinal), names unique, empty values dropped
/// (Prometheus treats an empty value as an absent label). Equality and hash cover every label.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    /// <summary>The label that holds the metric name.</summary>
    public const string MetricName = "__name__";

    private readonly Label[] _labels;
    private readonly int _hash;
    private volatile int _indexedId = -1;

    private LabelSet(Label[] sortedLabels)
    {
        _labels = sortedLabels;
        var hash = new HashCode();
        foreach (var l in sortedLabels)
        {
            hash.Add(l.Name, StringComparer.Ordinal);
            hash.Add(l.Value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>
    /// The id a <see cref="SeriesIndex"/> registered this instance under (-1 before): a hint the index confirms
    /// against its own table, so a known series is found without hashing or comparing labels.
    /// </summary>
    internal int IndexedId
    {
        get => _indexedId;
        set => _indexedId = value;
    }

    /// <summary>The empty label set.</summary>
    public static LabelSet Empty { get; } = new([]);

    /// <summary>Number of labels.</summary>
    public int Count => _labels.Length;

    /// <summary>The labels in name order.</summary>
    public ReadOnlySpan<Label> Labels => _labels;

    /// <summary>Label <paramref name="index"/> in name order.</summary>
    public Label this[int index] => _labels[index];

    /// <summary>Builds a canonical set; a later duplicate name wins, empty values are dropped.</summary>
    public static LabelSet Create(IEnumerable<Label> labels)
    {
        var list = new List<Label>();
        foreach (var label in labels)
        {
            var i = list.FindIndex(l => string.Equals(l.Name, label.Name, StringComparison.Ordinal));
            if (i >= 0)
            {
                list.RemoveAt(i);
            }

            if (label.Value.Length > 0)
            {
                list.Add(label);
            }
        }

        return FromList(list);
    }

    /// <summary>
    /// Builds a set that takes ownership of <paramref name="labels"/> when they are already canonical (names in
    /// strictly increasing ordinal order, no empty value), as a decoder that validated them hands them over;
    /// otherwise builds it as <see cref="Create(IEnumerable{Label})"/> does.
    /// </summary>
    public static LabelSet CreateFromSorted(Label[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i].Value.Length == 0 || (i > 0 && string.CompareOrdinal(labels[i - 1].Name, labels[i].Name) >= 0))
            {
                return Create(labels);
            }
        }

        return labels.Length == 0 ? Empty : new LabelSet(labels);
    }

    /// <summary>Builds a canonical set from name/value pairs.</summary>
    public static LabelSet Create(params ReadOnlySpan<(string Name, string Value)> labels)
    {
        var list = new List<Label>(labels.Length);
        foreach (var (name, value) in labels)
        {
            list.Add(new Label(name, value));
        }

        return Create(list);
    }

    private static LabelSet FromList(List<Label> list)
    {
        if (list.Count == 0)
        {
            return Empty;
        }

        var array = list.ToArray();
        Array.Sort(array, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new LabelSet(array);
    }

    /// <summary>
    /// Swaps every name and value for the equal instance in <paramref name="strings"/> (adding the ones it lacks),
    /// so that the many series sharing a string hold one copy. The set's content does not change.
    /// </summary>
    internal void Intern(HashSet<string> strings)
    {
        for (var i = 0; i < _labels.Length; i++)
        {
            var (name, value) = _labels[i];
            _labels[i] = new Label(Intern(strings, name), Intern(strings, value));
        }
    }

    private static string Intern(HashSet<string> strings, string text)
    {
        if (strings.TryGetValue(text, out var shared))
        {
            return shared;
        }

        strings.Add(text);
        return text;
    }

    /// <summary>The value of <paramref name="name"/>, or the empty string when absent.</summary>
    public string Get(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? "" : _labels[i].Value;
    }

    /// <summary>Whether the label is present.</summary>
    public bool Has(string name) => IndexOf(name) >= 0;

    private int IndexOf(string name)
    {
        int lo = 0, hi = _labels.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(_labels[mid].Name, name);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>A copy with <paramref name="name"/> set (an empty value removes it).</summary>
    public LabelSet With(string name, string value)
    {
        var i = IndexOf(name);
        if (i >= 0 && string.Equals(_labels[i].Value, value, StringComparison.Ordinal))
        {
            return this;
        }

        var list = new List<Label>(_labels.Length + 1);
        foreach (var l in _labels)
        {
            if (!string.Equals(l.Name, name, StringComparison.Ordinal))
            {
                list.Add(l);
            }
        }

        if (value.Length > 0)
        {
            list.Add(new Label(name, value));
        }

        return FromList(list);
    }

    /// <summary>A copy without <paramref name="name"/>.</summary>
    public LabelSet Without(string name) => IndexOf(name) < 0 ? this : With(name, "");

    /// <summary>A copy keeping only labels for which <paramref name="keep"/> is true.</summary>
    public LabelSet Filter(Func<string, bool> keep)
    {
        var list = new List<Label>(_labels.Length);
        foreach (var l in _labels)
        {
            if (keep(l.Name))
            {
                list.Add(l);
            }
        }

        return list.Count == _labels.Length ? this : FromList(list);
    }

    /// <summary>Prometheus's label order: label by label, name then value; a prefix sorts first.</summary>
    public static int Compare(LabelSet self, LabelSet other)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(other);
        var mine = self._labels;

        var n = Math.Min(mine.Length, other._labels.Length);
        for (var i = 0; i < n; i++)
        {
            var c = string.CompareOrdinal(mine[i].Name, other._labels[i].Name);
            if (c != 0)
            {
                return c;
            }

            c = string.CompareOrdinal(mine[i].Value, other._labels[i].Value);
            if (c != 0)
            {
                return c;
            }
        }

        return mine.Length.CompareTo(other._labels.Length);
    }

    /// <inheritdoc/>
    public bool Equals(LabelSet? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._hash != _hash || other._labels.Length != _labels.Length)
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Name, other._labels[i].Name, StringComparison.Ordinal)
                || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LabelSet other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    /// <summary>Prometheus's text form: <c>name{a="b", c="d"}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var name = Get(MetricName);
        sb.Append(name).Append('{');
        var first = true;
        foreach (var l in _labels)
        {
            if (l.Name == MetricName)
            {
                continue;
            }

            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(l.Name).Append("=\"").Append(l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        return sb.Append('}').ToString();
    }
}
