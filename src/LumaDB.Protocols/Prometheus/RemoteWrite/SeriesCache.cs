using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Text;
using LumaDB.Engine.Metrics;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>
/// The label sets of series seen in earlier requests, found without building strings or label sets. Remote write
/// 1.0 series are found by their encoded label fields: one hash of those bytes, one probe and one comparison with
/// the bytes kept when the series was first seen, so a hit skips parsing and checking the labels too. Series whose
/// labels are not one run of bytes (remote write 2.0 symbol references) are found by a hash of their decoded
/// labels, checked label by label against the cached set. A hash collision only costs a miss either way. The
/// encoded entries are in an <see cref="EncodedSeriesTable"/>: remote write looks one up per series per request.
/// </summary>
/// <remarks>
/// Entries are the store index's own label set instances; an encoded entry adds a copy of the label bytes (about
/// the size of the series' labels on the wire), packed into the table's arena. The cache forgets everything when
/// it holds more than twice the store's series plus <paramref name="slack"/>, or <see cref="MaxEntries"/>, or half
/// the arena's limit: a sender keeps one entry per series, but one that varies the order of a series' label
/// fields makes an entry per order, and series churn leaves entries behind.
/// </remarks>
internal sealed class SeriesCache(SeriesIndex index, int slack = SeriesCache.DefaultSlack)
{
    /// <summary>Entries after which the cache starts over, however many series the store holds.</summary>
    public const int MaxEntries = 8 << 20;

    /// <summary>Entries allowed beyond twice the store's series.</summary>
    public const int DefaultSlack = 1 << 16;

    private readonly ConcurrentDictionary<ulong, LabelSet> _sets = new();
    private EncodedSeriesTable _encoded = new();

    // Counted here: the dictionary's own count takes every one of its locks, once per new series.
    private int _count;

    /// <summary>Number of cached series.</summary>
    public int Count => _sets.Count + Volatile.Read(ref _encoded).Count;

    /// <summary>The label set of the series whose label fields are exactly <paramref name="encodedLabels"/>, if seen before.</summary>
    public bool TryResolve(ReadOnlySpan<byte> encodedLabels, [NotNullWhen(true)] out LabelSet? set) =>
        TryResolve(encodedLabels, XxHash3.HashToUInt64(encodedLabels), out set);

    /// <summary>As <see cref="TryResolve(ReadOnlySpan{byte}, out LabelSet?)"/>, given the XxHash3 of the bytes.</summary>
    public bool TryResolve(ReadOnlySpan<byte> encodedLabels, ulong hash, [NotNullWhen(true)] out LabelSet? set) =>
        Volatile.Read(ref _encoded).TryGet(hash, encodedLabels, out set);

    /// <summary>Starts loading the entry a lookup of encoded labels with XxHash3 <paramref name="hash"/> reads first.</summary>
    public void Prefetch(ulong hash) => Volatile.Read(ref _encoded).Prefetch(hash);

    /// <summary>
    /// The label set of the series whose (name-sorted, non-empty) labels are <paramref name="labels"/>; remembered
    /// by <paramref name="encodedLabels"/> when given (see <see cref="TryResolve(ReadOnlySpan{byte}, out LabelSet?)"/>),
    /// else by the labels.
    /// </summary>
    public LabelSet Resolve(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels)
    {
        if (!encodedLabels.IsEmpty)
        {
            var encodedHash = XxHash3.HashToUInt64(encodedLabels);
            if (TryResolve(encodedLabels, encodedHash, out var known))
            {
                return known;
            }

            var created = Create(buffer, labels);
            MakeRoom();
            if (Volatile.Read(ref _encoded).TryAdd(encodedHash, encodedLabels, created))
            {
                Interlocked.Increment(ref _count);
            }

            return created;
        }

        var hash = Hash(buffer, labels);
        if (_sets.TryGetValue(hash, out var cached) && Matches(cached, buffer, labels))
        {
            return cached;
        }

        var set = Create(buffer, labels);
        MakeRoom();
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

    private LabelSet Create(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels)
    {
        var list = new Label[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            list[i] = new Label(Encoding.UTF8.GetString(labels[i].Name(buffer)), Encoding.UTF8.GetString(labels[i].Value(buffer)));
        }

        return index.Canonical(LabelSet.CreateFromSorted(list));
    }

    private void MakeRoom()
    {
        if (Volatile.Read(ref _count) >= Math.Min(MaxEntries, (2L * index.Count) + slack)
            || Volatile.Read(ref _encoded).KeyBytes >= EncodedSeriesTable.MaxKeyBytes / 2)
        {
            _sets.Clear();
            Volatile.Write(ref _encoded, new EncodedSeriesTable());
            Volatile.Write(ref _count, 0);
        }
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
