using System.Buffers;
using System.Numerics;
using System.Text;
using LumaDB.Storage.IO;

namespace LumaDB.Engine.Metrics;

/// <summary>
/// The compact record a write logs instead of a row per sample: the write's new series (id and labels), changed
/// metadata, then its accepted samples as runs per series, timestamps as varint differences to the sample before
/// (of any series) and values XORed with the previous value of the run, trimmed to their significant bytes.
/// </summary>
/// <remarks>
/// Layout: format byte; varint series count, per series varint id, varint length, labels (see
/// <see cref="MetricTables.EncodeLabels"/>); varint metadata count, per family four varint-length UTF-8 strings
/// (family, type, help, unit); zigzag varint first timestamp; then runs to the end, each a zigzag varint series id
/// delta from the previous run, a varint sample count, and per sample a zigzag varint difference to the previous
/// timestamp in the record (the first timestamp for the first sample) and a
/// value: a header byte 0 for a repeat of the previous value, else (trailing zero bytes &lt;&lt; 4 | byte count)
/// followed by that many bytes of the XOR shifted right by the trailing zero bytes.
/// </remarks>
internal static class SampleLog
{
    /// <summary>WAL record type of a sample log record.</summary>
    public const byte RecordType = 1;

    private const byte Format = 1;

    /// <summary>Receives what a record holds, in order.</summary>
    public interface IReader
    {
        /// <summary>A series the record created.</summary>
        void Series(ulong id, LabelSet labels);

        /// <summary>A family's metadata.</summary>
        void Metadata(string family, MetricMetadata metadata);

        /// <summary>A sample.</summary>
        void Sample(ulong id, long timestampMs, double value);
    }

    public static void WriteHeader(ArrayBufferWriter<byte> into) => into.Write([Format]);

    public static void WriteSeries(ArrayBufferWriter<byte> into, ulong id, ReadOnlySpan<byte> labels)
    {
        WriteVarint(into, id);
        WriteVarint(into, (ulong)labels.Length);
        into.Write(labels);
    }

    public static void WriteMetadata(ArrayBufferWriter<byte> into, string family, MetricMetadata metadata)
    {
        WriteString(into, family);
        WriteString(into, metadata.Type);
        WriteString(into, metadata.Help);
        WriteString(into, metadata.Unit);
    }

    public static void WriteCount(ArrayBufferWriter<byte> into, int count) => WriteVarint(into, (ulong)count);

    public static void WriteSigned(ArrayBufferWriter<byte> into, long value) => WriteVarint(into, Varint.ZigZag(value));

    /// <summary>Writes a value as the XOR with <paramref name="previousBits"/>; returns the value's bits.</summary>
    public static ulong WriteValue(ArrayBufferWriter<byte> into, double value, ulong previousBits)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var xor = bits ^ previousBits;
        if (xor == 0)
        {
            into.Write([(byte)0]);
            return bits;
        }

        var trailing = BitOperations.TrailingZeroCount(xor) / 8;
        var leading = BitOperations.LeadingZeroCount(xor) / 8;
        var length = 8 - trailing - leading;
        var span = into.GetSpan(9);
        span[0] = (byte)((trailing << 4) | length);
        var shifted = xor >> (8 * trailing);
        for (var i = 0; i < length; i++)
        {
            span[1 + i] = (byte)(shifted >> (8 * i));
        }

        into.Advance(1 + length);
        return bits;
    }

    /// <summary>Decodes a record, handing its parts to <paramref name="reader"/>.</summary>
    /// <exception cref="InvalidDataException">The record is not in a known format.</exception>
    public static void Read(ReadOnlySpan<byte> record, IReader reader)
    {
        if (record.Length == 0 || record[0] != Format)
        {
            throw new InvalidDataException("Unknown sample log record format.");
        }

        var at = 1;
        var seriesCount = (int)ReadVarint(record, ref at);
        for (var i = 0; i < seriesCount; i++)
        {
            var id = ReadVarint(record, ref at);
            var length = (int)ReadVarint(record, ref at);
            reader.Series(id, MetricTables.DecodeLabels(record.Slice(at, length)));
            at += length;
        }

        var metadataCount = (int)ReadVarint(record, ref at);
        for (var i = 0; i < metadataCount; i++)
        {
            var family = ReadString(record, ref at);
            var type = ReadString(record, ref at);
            var help = ReadString(record, ref at);
            var unit = ReadString(record, ref at);
            reader.Metadata(family, new MetricMetadata(type, help, unit));
        }

        if (at == record.Length)
        {
            return;
        }

        var previousTs = ReadSigned(record, ref at);
        ulong seriesId = 0;
        while (at < record.Length)
        {
            seriesId = unchecked(seriesId + (ulong)ReadSigned(record, ref at));
            var count = (int)ReadVarint(record, ref at);
            ulong previous = 0;
            for (var i = 0; i < count; i++)
            {
                var ts = unchecked(previousTs + ReadSigned(record, ref at));
                previousTs = ts;
                previous = ReadValue(record, ref at, previous);
                reader.Sample(seriesId, ts, BitConverter.UInt64BitsToDouble(previous));
            }
        }
    }

    private static ulong ReadValue(ReadOnlySpan<byte> record, ref int at, ulong previousBits)
    {
        var header = record[at++];
        if (header == 0)
        {
            return previousBits;
        }

        var trailing = header >> 4;
        var length = header & 0xF;
        ulong shifted = 0;
        for (var i = 0; i < length; i++)
        {
            shifted |= (ulong)record[at + i] << (8 * i);
        }

        at += length;
        return previousBits ^ (shifted << (8 * trailing));
    }

    private static void WriteString(ArrayBufferWriter<byte> into, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteVarint(into, (ulong)length);
        Encoding.UTF8.GetBytes(text, into.GetSpan(length));
        into.Advance(length);
    }

    private static string ReadString(ReadOnlySpan<byte> record, ref int at)
    {
        var length = (int)ReadVarint(record, ref at);
        var text = Encoding.UTF8.GetString(record.Slice(at, length));
        at += length;
        return text;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> into, ulong value) => into.Advance(Varint.Write(into.GetSpan(Varint.MaxBytes), value));

    private static ulong ReadVarint(ReadOnlySpan<byte> record, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = record[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed varint in a sample log record.");
    }

    private static long ReadSigned(ReadOnlySpan<byte> record, ref int at)
    {
        var raw = ReadVarint(record, ref at);
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }
}
