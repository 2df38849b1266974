using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// encode(bytea, format) and decode(text, format) for PostgreSQL's three formats: hex, base64 (MIME-style, a
/// line break after every 76 characters) and escape (octal for NUL and high bytes, a doubled backslash).
/// </summary>
internal static class ByteaEncoding
{
    private const int Base64LineLength = 76;
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private enum Format
    {
        Hex,
        Base64,
        Escape,
    }

    /// <summary>encode: <paramref name="data"/> as text in <paramref name="format"/> (case-insensitive).</summary>
    public static string Encode(byte[] data, string format) => Lookup(format) switch
    {
        Format.Hex => Convert.ToHexStringLower(data),
        Format.Base64 => EncodeBase64(data),
        _ => EncodeEscape(data),
    };

    /// <summary>decode: the bytes that <paramref name="text"/> spells in <paramref name="format"/>.</summary>
    public static byte[] Decode(string text, string format) => Lookup(format) switch
    {
        Format.Hex => DecodeHex(text),
        Format.Base64 => DecodeBase64(text),
        _ => DecodeEscape(text),
    };

    private static Format Lookup(string name)
    {
        if (name.Equals("hex", StringComparison.OrdinalIgnoreCase))
        {
            return Format.Hex;
        }

        if (name.Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            return Format.Base64;
        }

        if (name.Equals("escape", StringComparison.OrdinalIgnoreCase))
        {
            return Format.Escape;
        }

        SqlErrors.Throw(SqlState.InvalidParameterValue, $"unrecognized encoding: \"{name}\"");
        return default;
    }

    private static string EncodeBase64(byte[] data)
    {
        var plain = Convert.ToBase64String(data);
        if (plain.Length < Base64LineLength)
        {
            return plain;
        }

        // A break follows every full line, even the last one.
        var result = new StringBuilder(plain.Length + (plain.Length / Base64LineLength));
        for (var i = 0; i < plain.Length; i += Base64LineLength)
        {
            var line = Math.Min(Base64LineLength, plain.Length - i);
            result.Append(plain, i, line);
            if (line == Base64LineLength)
            {
                result.Append('\n');
            }
        }

        return result.ToString();
    }

    private static string EncodeEscape(byte[] data)
    {
        var result = new StringBuilder(data.Length);
        foreach (var b in data)
        {
            if (b == 0 || b >= 0x80)
            {
                result.Append('\\').Append((char)('0' + (b >> 6))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
            }
            else if (b == '\\')
            {
                result.Append("\\\\");
            }
            else
            {
                result.Append((char)b);
            }
        }

        return result.ToString();
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    /// <summary>Hex digits in pairs; whitespace may stand between pairs but not inside one.</summary>
    private static byte[] DecodeHex(string text)
    {
        var result = new List<byte>(text.Length / 2);
        for (var i = 0; i < text.Length;)
        {
            if (IsSpace(text[i]))
            {
                i++;
                continue;
            }

            var high = HexDigit(text, i);
            if (++i >= text.Length)
            {
                SqlErrors.Throw(SqlState.InvalidParameterValue, "invalid hexadecimal data: odd number of digits");
            }

            result.Add((byte)((high << 4) | HexDigit(text, i++)));
        }

        return [.. result];
    }

    private static int HexDigit(string text, int i)
    {
        var c = text[i];
        if (!char.IsAsciiHexDigit(c))
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, $"invalid hexadecimal digit: \"{CharacterAt(text, i)}\"");
        }

        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    /// <summary>The whole character at <paramref name="i"/>, so an error names a surrogate pair as one.</summary>
    private static string CharacterAt(string text, int i) =>
        text.Substring(i, char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1);

    /// <summary>
    /// Base64 with whitespace skipped. The first '=' decides how many bytes each later group yields, so only a
    /// group cut short at its end, or '=' too early in a group, is an error.
    /// </summary>
    private static byte[] DecodeBase64(string text)
    {
        var result = new List<byte>((text.Length * 3) / 4);
        var buffer = 0u;
        var position = 0;
        var padding = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSpace(c))
            {
                continue;
            }

            uint value;
            if (c == '=')
            {
                if (padding == 0)
                {
                    padding = position switch
                    {
                        2 => 1,
                        3 => 2,
                        _ => Fail(),
                    };
                }

                value = 0;
            }
            else
            {
                var index = c is > '\0' and < (char)127 ? Base64Alphabet.IndexOf(c, StringComparison.Ordinal) : -1;
                if (index < 0)
                {
                    SqlErrors.Throw(SqlState.InvalidParameterValue, $"invalid symbol \"{CharacterAt(text, i)}\" found while decoding base64 sequence");
                }

                value = (uint)index;
            }

            buffer = (buffer << 6) | value;
            if (++position == 4)
            {
                result.Add((byte)(buffer >> 16));
                if (padding is 0 or 2)
                {
                    result.Add((byte)(buffer >> 8));
                }

                if (padding == 0)
                {
                    result.Add((byte)buffer);
                }

                buffer = 0;
                position = 0;
            }
        }

        if (position != 0)
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "invalid base64 end sequence", "Input data is missing padding, is truncated, or is otherwise corrupted.");
        }

        return [.. result];

        static int Fail()
        {
            SqlErrors.Throw(SqlState.InvalidParameterValue, "unexpected \"=\" while decoding base64 sequence");
            return 0;
        }
    }

    /// <summary>The escape format over the text's UTF-8 bytes: <c>\\</c> or <c>\ooo</c> (first digit 0-3), other bytes as they are.</summary>
    private static byte[] DecodeEscape(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != '\\')
            {
                result.Add(bytes[i]);
            }
            else if (i + 3 < bytes.Length && bytes[i + 1] is >= (byte)'0' and <= (byte)'3' && IsOctal(bytes[i + 2]) && IsOctal(bytes[i + 3]))
            {
                result.Add((byte)(((bytes[i + 1] - '0') << 6) | ((bytes[i + 2] - '0') << 3) | (bytes[i + 3] - '0')));
                i += 3;
            }
            else if (i + 1 < bytes.Length && bytes[i + 1] == '\\')
            {
                result.Add((byte)'\\');
                i++;
            }
            else
            {
                SqlErrors.Throw(SqlState.InvalidTextRepresentation, "invalid input syntax for type bytea");
            }
        }

        return [.. result];
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
