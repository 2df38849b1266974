namespace LumaDB.Storage.Segments;

/// <summary>
/// A half-open range of encoded primary keys (see <see cref="Memtables.KeyEncoding"/>): at least <see cref="Lower"/> and below
/// <see cref="Upper"/>; a null bound is unbounded.
/// </summary>
public sealed record KeyRange(byte[]? Lower, byte[]? Upper)
{
    /// <summary>Whether an encoded key lies in the range.</summary>
    public bool Contains(ReadOnlySpan<byte> key) =>
        (Lower is null || key.SequenceCompareTo(Lower) >= 0) && (Upper is null || key.SequenceCompareTo(Upper) < 0);

    /// <summary>Whether the closed key interval [min, max] shares any key with the range.</summary>
    public bool Overlaps(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max) =>
        (Lower is null || max.SequenceCompareTo(Lower) >= 0) && (Upper is null || min.SequenceCompareTo(Upper) < 0);

    /// <summary>Every key that starts with <paramref name="prefix"/> (an encoded key or key prefix).</summary>
    public static KeyRange StartingWith(byte[] prefix) => new(prefix, Successor(prefix));

    /// <summary>The smallest byte string above every string that starts with <paramref name="key"/>; null when there is none.</summary>
    public static byte[]? Successor(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var end = key.Length;
        while (end > 0 && key[end - 1] == 0xFF)
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        var result = key[..end];
        result[end - 1]++;
        return result;
    }

    /// <summary>Whether the closed key interval [min, max] lies wholly in the range.</summary>
    public bool Covers(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max) => Contains(min) && Contains(max);
}
