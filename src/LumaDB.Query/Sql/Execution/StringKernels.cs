using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Per-value string functions as PostgreSQL defines them over a UTF-8 database: lengths and positions count code
/// points, so a character outside the Basic Multilingual Plane (a surrogate pair here) is one character.
/// </summary>
internal static class StringKernels
{
    /// <summary>The largest value PostgreSQL will allocate for one datum (1 GB less one byte).</summary>
    private const long MaxAllocSize = 0x3FFF_FFFF;

    /// <summary>UTF-8 needs at most four bytes a character: PostgreSQL sizes padded results by that.</summary>
    private const int MaxBytesPerChar = 4;

    /// <summary>The UTF-16 offset of code point <paramref name="count"/>, or the string's length when it has fewer.</summary>
    public static int OffsetOf(string s, long count)
    {
        var offset = 0;
        for (long n = 0; n < count && offset < s.Length; n++)
        {
            offset += WidthAt(s, offset);
        }

        return offset;
    }

    /// <summary>Whether <paramref name="s"/> holds any surrogate, i.e. UTF-16 offsets and character positions may differ.</summary>
    public static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    /// <summary>Code points in <paramref name="s"/>.</summary>
    public static int CodePoints(string s) => CodePoints(s.AsSpan());

    /// <summary>Code points in <paramref name="s"/>.</summary>
    public static int CodePoints(ReadOnlySpan<char> s)
    {
        var count = s.Length;
        for (var i = 0; i + 1 < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && char.IsLowSurrogate(s[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>UTF-16 units of the character at <paramref name="i"/>: 2 for a surrogate pair.</summary>
    private static int WidthAt(string s, int i) =>
        char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;

    /// <summary>The code points of <paramref name="s"/>, each as its UTF-16 text.</summary>
    private static List<string> Characters(string s)
    {
        var characters = new List<string>(s.Length);
        for (var i = 0; i < s.Length;)
        {
            var width = WidthAt(s, i);
            characters.Add(s.Substring(i, width));
            i += width;
        }

        return characters;
    }

    /// <summary>lpad/rpad: truncate to <paramref name="length"/> characters, or fill by cycling through <paramref name="fill"/>.</summary>
    public static string Pad(string s, int length, string fill, bool left)
    {
        long target = Math.Max(length, 0);
        var count = CodePoints(s);

        // With nothing to pad with the result is at most the string itself, and only that is sized.
        RequireAllocatable((fill.Length == 0 ? Math.Min(count, target) : target) * MaxBytesPerChar);
        if (count >= target)
        {
            return s[..OffsetOf(s, target)];
        }

        if (fill.Length == 0)
        {
            return s;
        }

        var fillCharacters = Characters(fill);
        var padding = new StringBuilder();
        for (long i = 0; i < target - count; i++)
        {
            padding.Append(fillCharacters[(int)(i % fillCharacters.Count)]);
        }

        return left ? padding.Append(s).ToString() : s + padding;
    }

    /// <summary>repeat: <paramref name="s"/> <paramref name="count"/> times; a negative count is zero.</summary>
    public static string Repeat(string s, int count)
    {
        if (count <= 0 || s.Length == 0)
        {
            return string.Empty;
        }

        RequireAllocatable((long)count * Encoding.UTF8.GetByteCount(s));
        var builder = new StringBuilder(s.Length * count);
        for (var i = 0; i < count; i++)
        {
            builder.Append(s);
        }

        return builder.ToString();
    }

    private static void RequireAllocatable(long bytes)
    {
        // The datum also carries a four-byte length header.
        if (bytes + 4 > MaxAllocSize)
        {
            SqlErrors.Throw(SqlState.ProgramLimitExceeded, "requested length too large");
        }
    }

    /// <summary>reverse: the code points in reverse order, so a surrogate pair stays whole.</summary>
    public static string Reverse(string s)
    {
        var result = new char[s.Length];
        var write = s.Length;
        for (var i = 0; i < s.Length;)
        {
            var pair = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
            if (pair)
            {
                write -= 2;
                result[write] = s[i];
                result[write + 1] = s[i + 1];
                i += 2;
            }
            else
            {
                result[--write] = s[i++];
            }
        }

        return new string(result);
    }

    /// <summary>split_part: field <paramref name="field"/> (1-based; negative counts from the end), or empty when there is none.</summary>
    public static string SplitPart(string s, string delimiter, int field)
    {
        if (field == 0)
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "field position must not be zero");
        }

        if (s.Length == 0)
        {
            return string.Empty;
        }

        if (delimiter.Length == 0)
        {
            // The whole string is the only field.
            return field is 1 or -1 ? s : string.Empty;
        }

        var fields = s.Split(delimiter, StringSplitOptions.None);
        var index = field > 0 ? field - 1 : fields.Length + field;
        return index >= 0 && index < fields.Length ? fields[index] : string.Empty;
    }

    /// <summary>translate: each character of <paramref name="from"/> becomes the one at its position in <paramref name="to"/>, or is dropped.</summary>
    public static string Translate(string s, string from, string to)
    {
        var fromCharacters = Characters(from);
        var toCharacters = Characters(to);
        var result = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length;)
        {
            var width = WidthAt(s, i);
            var character = s.Substring(i, width);
            var position = fromCharacters.IndexOf(character);
            if (position < 0)
            {
                result.Append(character);
            }
            else if (position < toCharacters.Count)
            {
                result.Append(toCharacters[position]);
            }

            i += width;
        }

        return result.ToString();
    }

    /// <summary>ascii: the code point of the first character, 0 for the empty string.</summary>
    public static int Ascii(string s) => s.Length == 0 ? 0 : char.ConvertToUtf32(s, 0);

    /// <summary>chr: the character with code point <paramref name="code"/>.</summary>
    public static string Chr(int code)
    {
        if (code < 0)
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "character number must be positive");
        }

        if (code == 0)
        {
            SqlErrors.Throw(SqlState.ProgramLimitExceeded, "null character not permitted");
        }

        if (code > 0x10FFFF)
        {
            SqlErrors.Throw(SqlState.ProgramLimitExceeded, string.Create(CultureInfo.InvariantCulture, $"requested character too large for encoding: {code}"));
        }

        if (code is >= 0xD800 and <= 0xDFFF)
        {
            SqlErrors.Throw(SqlState.ProgramLimitExceeded, string.Create(CultureInfo.InvariantCulture, $"requested character not valid for encoding: {code}"));
        }

        return char.ConvertFromUtf32(code);
    }

    /// <summary>initcap: upper-case the first letter or digit of each run of them, lower-case the rest.</summary>
    public static string Initcap(string s)
    {
        var result = new StringBuilder(s.Length);
        var inWord = false;
        foreach (var rune in s.EnumerateRunes())
        {
            var cased = inWord ? Rune.ToLowerInvariant(rune) : Rune.ToUpperInvariant(rune);
            result.Append(cased.ToString());
            inWord = Rune.IsLetterOrDigit(rune);
        }

        return result.ToString();
    }

    /// <summary>
    /// overlay: the first <paramref name="start"/> - 1 characters, then <paramref name="placing"/>, then the rest
    /// from character <paramref name="start"/> + <paramref name="length"/> on.
    /// </summary>
    public static string Overlay(string s, string placing, int start, int? length)
    {
        var (head, tail) = OverlayBounds(start, length ?? CodePoints(placing));
        return string.Concat(s.AsSpan(0, OffsetOf(s, head)), placing, s.AsSpan(OffsetOf(s, tail)));
    }

    /// <summary>overlay for bytea, counting bytes.</summary>
    public static byte[] Overlay(byte[] s, byte[] placing, int start, int? length)
    {
        var (head, tail) = OverlayBounds(start, length ?? placing.Length);
        var keep = (int)Math.Min(head, s.Length);
        var from = (int)Math.Min(tail, s.Length);
        return [.. s.AsSpan(0, keep), .. placing, .. s.AsSpan(from)];
    }

    /// <summary>How many leading characters stay, and where the kept tail starts (0-based).</summary>
    private static (long Head, long Tail) OverlayBounds(int start, int length)
    {
        // A start before the first character would need a negative-length leading substring.
        if (start <= 0)
        {
            SqlErrors.Throw(SqlState.SubstringError, "negative substring length not allowed");
        }

        var end = (long)start + length;
        if (end > int.MaxValue)
        {
            SqlErrors.Throw(SqlState.NumericValueOutOfRange, "integer out of range");
        }

        return (start - 1, Math.Max(end - 1, 0));
    }
}
