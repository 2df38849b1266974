using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>
/// The label sets of series seen in earlier requests, found by a hash of the request's label bytes: a known
/// series then costs a hash and one probe, with no strings or label set built. A hit is checked label by label
/// against the cached set, so a hash collision only costs a miss.
/// </summary>
/// <remarks>
/// Entries are the store index's own label set instances, so the cache adds one dictionary entry per series.
/// It forgets everything when it passes <see cref="MaxEntries"/>, which bounds the memory series churn leaves.
/// </remarks>
internal sealed class SeriesCache(SeriesIndex index)
{
    /// <summary>Entries after which the cache starts over.</summary>
    public const int MaxEntries = 8 << 20;

    private readonly ConcurrentDictionary<ulong, LabelSet> _sets = new();

    // Counted here: the dictionary's own count takes every one of its locks, once per new series.
    private int _count;

    /// <summary>Number of cached series.</summary>
    public int Count => _sets.Count;

    /// <summary>The label set of the series whose (name-sorted, non-empty) labels are <paramref name="labels"/>.</summary>
    public LabelSet Resolve(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels)
    {
        var hash = Hash(buffer, labels);
        if (_sets.TryGetValue(hash, out var cached) && Matches(cached, buffer, labels))
        {
            return cached;
        }

        var list = new Label[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            list[i] = new Label(Encoding.UTF8.GetString(labels[i].Name(buffer)), Encoding.UTF8.GetString(labels[i].Value(buffer)));
        }

        var set = index.Canonical(LabelSet.CreateFromSorted(list));
        if (Volatile.Read(ref _count) >= MaxEntries)
        {
            _sets.Clear();
            Volatile.Write(ref _count, 0);
        }

        if (_sets.TryAdd(hash, set))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _sets[hash] = set;
        }

        return set;
    }

    private static ulong Hash(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels)
    {
        // Each part seeds the next with its length mixed in, so ("ab","c") and ("a","bc") differ.
        var hash = (ulong)labels.Length;
        foreach (var label in labels)
        {
            hash = XxHash3.HashToUInt64(label.Name(buffer), (long)(hash + (ulong)label.NameLength));
            hash = XxHash3.HashToUInt64(label.Value(buffer), (long)(hash + (ulong)label.ValueLength));
        }

        return hash;
    }

    private static bool Matches(LabelSet set, ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels)
    {
        if (set.Count != labels.Length)
        {
            return false;
        }

        var stored = set.Labels;
        for (var i = 0; i < labels.Length; i++)
        {
            if (!Utf8Equals(labels[i].Name(buffer), stored[i].Name) || !Utf8Equals(labels[i].Value(buffer), stored[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether UTF-8 <paramref name="utf8"/> spells <paramref name="text"/>; no allocation for ASCII.</summary>
    private static bool Utf8Equals(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length == text.Length)
        {
            // As many bytes as chars: equal only if both are the same ASCII (a non-ASCII char takes 2+ bytes).
            return Ascii.Equals(utf8, text);
        }

        if (utf8.Length < text.Length)
        {
            // Every char takes at least one UTF-8 byte.
            return false;
        }

        return string.Equals(Encoding.UTF8.GetString(utf8), text, StringComparison.Ordinal);
    }
}
