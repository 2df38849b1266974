using System.Globalization;
using System.Text;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>
/// Text conventions PromQL inherits from Go: string quoting and unquoting, shortest float formatting,
/// and the legacy name character sets. Printed forms must match Prometheus byte for byte.
/// </summary>
public static class GoText
{
    /// <summary>Whether <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static bool IsLegacyLabelName(string name) => IsLegacyName(name, allowColon: false);

    /// <summary>Whether <paramref name="name"/> matches <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsLegacyMetricName(string name) => IsLegacyName(name, allowColon: true);

    /// <summary>A label name as printed in selectors and groupings: bare when legacy, quoted otherwise.</summary>
    public static string FormatLabelName(string name) => IsLegacyLabelName(name) ? name : Quote(name);

    private static bool IsLegacyName(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Double-quotes a string with Go's escaping rules (<c>strconv.Quote</c>).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        sb.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsControl(c) || char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Unquotes a PromQL string literal written with <c>"</c>, <c>'</c> or backquotes. Byte escapes
    /// (<c>\xc5</c>, octal) are collected as UTF-8 and decoded, so invalid sequences become U+FFFD.
    /// Returns null if the literal is malformed.
    /// </summary>
    public static string? Unquote(string literal) => TryUnquote(literal, out var value, out _) ? value : null;

    /// <summary>
    /// Unquotes like <see cref="Unquote"/> and reports whether the escapes produced valid UTF-8;
    /// Go keeps such bytes as they are, so callers that validate names (count_values, label_replace) need to know.
    /// </summary>
    public static bool TryUnquote(string literal, out string value, out bool validUtf8) =>
        TryUnquote(literal, out value, out validUtf8, out _);

    /// <summary>
    /// Unquotes like <see cref="TryUnquote(string, out string, out bool)"/>; <paramref name="bytes"/> holds the unquoted
    /// bytes when they are not valid UTF-8 (null otherwise).
    /// </summary>
    public static bool TryUnquote(string literal, out string value, out bool validUtf8, out byte[]? bytes)
    {
        value = "";
        validUtf8 = true;
        bytes = null;
        var result = UnquoteBytes(literal);
        if (result is null)
        {
            return false;
        }

        var raw = result.ToArray();
        validUtf8 = System.Text.Unicode.Utf8.IsValid(raw);
        value = Encoding.UTF8.GetString(raw);
        bytes = validUtf8 ? null : raw;
        return true;
    }

    /// <summary>
    /// Double-quotes bytes as Go's <c>strconv.Quote</c> does a string holding them: valid UTF-8 as
    /// <see cref="Quote"/> writes it, each byte that does not start a valid sequence as <c>\xNN</c>.
    /// </summary>
    public static string QuoteBytes(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 2);
        sb.Append('"');
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // Go decodes an invalid byte as one RuneError of width 1.
                sb.Append("\\x").Append(bytes[0].ToString("x2", CultureInfo.InvariantCulture));
                bytes = bytes[1..];
                continue;
            }

            var quoted = Quote(rune.ToString());
            sb.Append(quoted, 1, quoted.Length - 2);
            bytes = bytes[consumed..];
        }

        return sb.Append('"').ToString();
    }

    private static List<byte>? UnquoteBytes(string literal)
    {
        if (literal.Length < 2 || literal[0] != literal[^1] || literal[0] is not ('"' or '\'' or '`'))
        {
            return null;
        }

        var quote = literal[0];
        var body = literal.AsSpan(1, literal.Length - 2);
        if (quote == '`')
        {
            return body.Contains('`') ? null : [.. Encoding.UTF8.GetBytes(body.ToString())];
        }

        var bytes = new List<byte>(body.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == quote || c == '\n')
            {
                return null;
            }

            if (c != '\\')
            {
                var n = new Rune(c).EncodeToUtf8(utf8);
                if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
                {
                    n = new Rune(c, body[i + 1]).EncodeToUtf8(utf8);
                    i++;
                }

                for (var k = 0; k < n; k++)
                {
                    bytes.Add(utf8[k]);
                }

                continue;
            }

            if (++i >= body.Length)
            {
                return null;
            }

            var e = body[i];
            switch (e)
            {
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'v': bytes.Add(11); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '\'' or '"':
                    if (e != quote)
                    {
                        return null;
                    }

                    bytes.Add((byte)e);
                    break;
                case 'x' or 'u' or 'U':
                    {
                        var digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        if (body.Length - i - 1 < digits
                            || !int.TryParse(body.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            return null;
                        }

                        i += digits;
                        if (e == 'x')
                        {
                            bytes.Add((byte)code);
                        }
                        else
                        {
                            if (!Rune.IsValid(code))
                            {
                                return null;
                            }

                            var n = new Rune(code).EncodeToUtf8(utf8);
                            for (var k = 0; k < n; k++)
                            {
                                bytes.Add(utf8[k]);
                            }
                        }

                        break;
                    }

                case >= '0' and <= '7':
                    {
                        if (body.Length - i < 3)
                        {
                            return null;
                        }

                        var v = 0;
                        for (var k = 0; k < 3; k++)
                        {
                            var d = body[i + k];
                            if (d is < '0' or > '7')
                            {
                                return null;
                            }

                            v = (v * 8) + (d - '0');
                        }

                        if (v > 255)
                        {
                            return null;
                        }

                        bytes.Add((byte)v);
                        i += 2;
                        break;
                    }

                default:
                    return null;
            }
        }

        return bytes;
    }

    /// <summary>Formats a float like Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>: shortest digits, no exponent.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var ePos = r.IndexOfAny(['E', 'e']);
        if (ePos < 0)
        {
            return r;
        }

        var negative = r[0] == '-';
        var mantissa = r[(negative ? 1 : 0)..ePos];
        var exponent = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var pointAt = (dot < 0 ? mantissa.Length : dot) + exponent;
        string result;
        if (pointAt <= 0)
        {
            result = "0." + new string('0', -pointAt) + digits;
        }
        else if (pointAt >= digits.Length)
        {
            result = digits + new string('0', pointAt - digits.Length);
        }
        else
        {
            result = digits[..pointAt] + "." + digits[pointAt..];
        }

        return negative ? "-" + result : result;
    }
}
