using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using LumaDB.Storage.Shards;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// OTLP values read from the wire: attribute lists and AnyValues written as JSON (the same text
/// <see cref="OtlpAttributes"/> writes for the parsed messages), ids checked and turned into hex, strings put into
/// rows as the UTF-8 they arrived in.
/// </summary>
internal static class OtlpWireValues
{
    // Past this nesting of arrays and key-value lists a request is refused, as the protobuf parser refuses deep messages.
    private const int MaxDepth = 100;

    /// <summary>Writes the repeated KeyValue field <paramref name="field"/> of <paramref name="message"/> as a JSON object.</summary>
    public static void WriteAttributes(OtlpJsonWriter writer, ReadOnlySpan<byte> message, int field, int depth = 0)
    {
        writer.WriteStartObject();
        var reader = new ProtoReader(message);
        while (reader.Next(out var f, out var wire))
        {
            if (f == field && wire == ProtoReader.LengthDelimited)
            {
                WriteKeyValue(writer, reader.ReadBytes(), depth);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one KeyValue message as a property.</summary>
    public static void WriteKeyValue(OtlpJsonWriter writer, ReadOnlySpan<byte> keyValue, int depth)
    {
        ReadKeyValue(keyValue, out var key, out var value, out var hasValue);
        writer.WritePropertyName(key);
        if (hasValue)
        {
            WriteValue(writer, value, depth);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>The key and the value message of a KeyValue (the last of each, as protobuf merges).</summary>
    public static void ReadKeyValue(ReadOnlySpan<byte> keyValue, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        key = default;
        value = default;
        hasValue = false;
        var reader = new ProtoReader(keyValue);
        while (reader.Next(out var f, out var wire))
        {
            if (f == 1 && wire == ProtoReader.LengthDelimited)
            {
                key = reader.ReadBytes();
            }
            else if (f == 2 && wire == ProtoReader.LengthDelimited)
            {
                value = reader.ReadBytes();
                hasValue = true;
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>
    /// Which member of an AnyValue's oneof is set (0 for none; the last one on the wire wins) with its scalar bits
    /// (bool, int, double) or its bytes (string, bytes, array, key-value list).
    /// </summary>
    public static int ReadAnyValue(ReadOnlySpan<byte> anyValue, out ulong scalar, out ReadOnlySpan<byte> payload)
    {
        var kind = 0;
        scalar = 0;
        payload = default;
        var reader = new ProtoReader(anyValue);
        while (reader.Next(out var f, out var wire))
        {
            switch (f)
            {
                case 1 or 5 or 6 or 7 when wire == ProtoReader.LengthDelimited:
                    kind = f;
                    payload = reader.ReadBytes();
                    break;
                case 2 or 3 or 8 when wire == ProtoReader.Varint:
                    kind = f;
                    scalar = reader.ReadVarint();
                    break;
                case 4 when wire == ProtoReader.Fixed64:
                    kind = f;
                    scalar = reader.ReadFixed64();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return kind;
    }

    /// <summary>Writes an AnyValue message as JSON; an empty value is null.</summary>
    public static void WriteValue(OtlpJsonWriter writer, ReadOnlySpan<byte> anyValue, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new OtlpInvalidException($"invalid protobuf: values nested more than {MaxDepth} deep");
        }

        switch (ReadAnyValue(anyValue, out var scalar, out var payload))
        {
            case 1: writer.WriteStringValue(payload); break;
            case 2: writer.WriteBooleanValue(scalar != 0); break;
            case 3: writer.WriteNumberValue((long)scalar); break;
            case 4:
                var d = BitConverter.UInt64BitsToDouble(scalar);
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    // JSON has no NaN or infinities; the protobuf JSON mapping spells them as strings.
                    writer.WriteStringValue(double.IsNaN(d) ? "NaN"u8 : d > 0 ? "Infinity"u8 : "-Infinity"u8);
                }

                break;
            case 5:
                writer.WriteStartArray();
                var items = new ProtoReader(payload);
                while (items.Next(out var f, out var wire))
                {
                    if (f == 1 && wire == ProtoReader.LengthDelimited)
                    {
                        WriteValue(writer, items.ReadBytes(), depth + 1);
                    }
                    else
                    {
                        items.Skip(wire);
                    }
                }

                writer.WriteEndArray();
                break;
            case 6: WriteAttributes(writer, payload, 1, depth + 1); break;
            case 7: writer.WriteBase64StringValue(payload); break;
            default: writer.WriteNullValue(); break;
        }
    }

    /// <summary>
    /// Puts an AnyValue into a text column as <see cref="OtlpAttributes.ToText"/> would: strings as they are,
    /// other scalars in invariant form, composites as JSON. False (nothing set) when the value is empty.
    /// </summary>
    public static bool SetValueText(RowBuilder row, int column, ReadOnlySpan<byte> anyValue, OtlpJsonScratch json)
    {
        Span<byte> number = stackalloc byte[32];
        int written;
        switch (ReadAnyValue(anyValue, out var scalar, out var payload))
        {
            case 0: return false;
            case 1: SetText(row, column, payload); return true;
            case 2: row.SetBytes(column, scalar != 0 ? "true"u8 : "false"u8); return true;
            case 3:
                ((long)scalar).TryFormat(number, out written, default, CultureInfo.InvariantCulture);
                row.SetBytes(column, number[..written]);
                return true;
            case 4:
                BitConverter.UInt64BitsToDouble(scalar).TryFormat(number, out written, "R", CultureInfo.InvariantCulture);
                row.SetBytes(column, number[..written]);
                return true;
            default:
                json.Begin();
                WriteValue(json.Writer, anyValue, 0);
                row.SetBytes(column, json.End());
                return true;
        }
    }

    /// <summary>Sets a text column from UTF-8 bytes; invalid sequences become U+FFFD as the protobuf parser decodes them.</summary>
    public static void SetText(RowBuilder row, int column, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            row.SetBytes(column, utf8);
        }
        else
        {
            row.SetText(column, Encoding.UTF8.GetString(utf8));
        }
    }

    /// <summary>Sets a text column when <paramref name="utf8"/> is not empty (empty strings are stored as null).</summary>
    public static void SetOptionalText(RowBuilder row, int column, ReadOnlySpan<byte> utf8)
    {
        if (!utf8.IsEmpty)
        {
            SetText(row, column, utf8);
        }
    }

    /// <summary>
    /// Checks an id's length: false when it is empty or all zero (the specification's invalid id), throws
    /// <see cref="OtlpInvalidException"/> for a length other than <paramref name="expectedBytes"/>.
    /// </summary>
    public static bool IsValidId(ReadOnlySpan<byte> id, int expectedBytes, string what)
    {
        if (id.IsEmpty)
        {
            return false;
        }

        if (id.Length != expectedBytes)
        {
            throw new OtlpInvalidException($"{what} must be {expectedBytes} bytes, got {id.Length}");
        }

        return id.ContainsAnyExcept((byte)0);
    }

    /// <summary>Sets a text column to the lower-case hex of <paramref name="id"/> (at most 16 bytes).</summary>
    public static void SetHex(RowBuilder row, int column, ReadOnlySpan<byte> id)
    {
        Span<byte> hex = stackalloc byte[32];
        row.SetBytes(column, Hex(id, hex));
    }

    /// <summary>Writes the lower-case hex of <paramref name="id"/> into <paramref name="destination"/> and returns it.</summary>
    public static ReadOnlySpan<byte> Hex(ReadOnlySpan<byte> id, Span<byte> destination)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < id.Length; i++)
        {
            destination[2 * i] = digits[id[i] >> 4];
            destination[(2 * i) + 1] = digits[id[i] & 15];
        }

        return destination[..(2 * id.Length)];
    }

    /// <summary>A fixed64 time as signed nanoseconds; throws past the year 2262.</summary>
    public static long Nanos(ulong unixNanos, string what) => OtlpTime.ToNanos(unixNanos, what);

    /// <summary>Reads a little-endian fixed64 from a span known to hold 8 bytes.</summary>
    public static ulong Fixed64(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64LittleEndian(bytes);
}
