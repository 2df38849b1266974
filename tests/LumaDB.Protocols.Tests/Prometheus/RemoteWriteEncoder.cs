using Google.Protobuf;

namespace LumaDB.Protocols.Tests.Prometheus;

/// <summary>Builds remote write bodies with Google.Protobuf's own encoder, as a sender would produce them.</summary>
internal static class RemoteWriteEncoder
{
    public sealed record Series(
        (string Name, string Value)[] Labels,
        (long Ts, double Value)[] Samples,
        (string Name, string Value)[]? ExemplarLabels = null,
        bool WithHistogram = false);

    public static byte[] V1(IEnumerable<Series> series, (int Type, string Family, string Help, string Unit)[]? metadata = null)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var s in series)
        {
            WriteMessage(output, 1, inner => WriteSeriesV1(inner, s));
        }

        foreach (var (type, family, help, unit) in metadata ?? [])
        {
            WriteMessage(output, 3, inner =>
            {
                inner.WriteTag(1, WireFormat.WireType.Varint);
                inner.WriteEnum(type);
                inner.WriteTag(2, WireFormat.WireType.LengthDelimited);
                inner.WriteString(family);
                inner.WriteTag(4, WireFormat.WireType.LengthDelimited);
                inner.WriteString(help);
                inner.WriteTag(5, WireFormat.WireType.LengthDelimited);
                inner.WriteString(unit);
            });
        }

        output.Flush();
        return stream.ToArray();
    }

    private static void WriteSeriesV1(CodedOutputStream output, Series s)
    {
        foreach (var (name, value) in s.Labels)
        {
            WriteMessage(output, 1, label => WriteLabel(label, name, value));
        }

        foreach (var (ts, value) in s.Samples)
        {
            WriteMessage(output, 2, sample => WriteSample(sample, ts, value));
        }

        if (s.ExemplarLabels is { } exemplarLabels)
        {
            WriteMessage(output, 3, exemplar =>
            {
                foreach (var (name, value) in exemplarLabels)
                {
                    WriteMessage(exemplar, 1, label => WriteLabel(label, name, value));
                }

                exemplar.WriteTag(2, WireFormat.WireType.Fixed64);
                exemplar.WriteDouble(0.25);
                exemplar.WriteTag(3, WireFormat.WireType.Varint);
                exemplar.WriteInt64(1_700_000_000_123);
            });
        }

        if (s.WithHistogram)
        {
            WriteMessage(output, 4, WriteIntegerHistogram);
        }
    }

    /// <summary>An integer histogram: count 10, sum 42.5, schema 1, positive spans [0:2],[1:2], deltas 1,2,-1,0.</summary>
    public static void WriteIntegerHistogram(CodedOutputStream h)
    {
        h.WriteTag(1, WireFormat.WireType.Varint);
        h.WriteUInt64(10);
        h.WriteTag(3, WireFormat.WireType.Fixed64);
        h.WriteDouble(42.5);
        h.WriteTag(4, WireFormat.WireType.Varint);
        h.WriteSInt32(1);
        h.WriteTag(5, WireFormat.WireType.Fixed64);
        h.WriteDouble(0.001);
        h.WriteTag(6, WireFormat.WireType.Varint);
        h.WriteUInt64(2);
        WriteMessage(h, 11, span => { span.WriteTag(1, WireFormat.WireType.Varint); span.WriteSInt32(0); span.WriteTag(2, WireFormat.WireType.Varint); span.WriteUInt32(2); });
        WriteMessage(h, 11, span => { span.WriteTag(1, WireFormat.WireType.Varint); span.WriteSInt32(1); span.WriteTag(2, WireFormat.WireType.Varint); span.WriteUInt32(2); });
        WriteMessage(h, 12, packed => { packed.WriteSInt64(1); packed.WriteSInt64(2); packed.WriteSInt64(-1); packed.WriteSInt64(0); });
        h.WriteTag(14, WireFormat.WireType.Varint);
        h.WriteEnum(2);
        h.WriteTag(15, WireFormat.WireType.Varint);
        h.WriteInt64(1_700_000_000_000);
    }

    public static byte[] V2(string[] symbols, IEnumerable<(uint[] LabelRefs, (long Ts, double Value)[] Samples, (int Type, uint Help, uint Unit)? Metadata)> series, bool symbolsLast = false)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        if (!symbolsLast)
        {
            WriteSymbols(output, symbols);
        }

        foreach (var (refs, samples, metadata) in series)
        {
            WriteMessage(output, 5, ts =>
            {
                WriteMessage(ts, 1, packed =>
                {
                    foreach (var r in refs)
                    {
                        packed.WriteUInt32(r);
                    }
                });
                foreach (var (t, v) in samples)
                {
                    WriteMessage(ts, 2, sample => WriteSample(sample, t, v));
                }

                if (metadata is { } m)
                {
                    WriteMessage(ts, 5, md =>
                    {
                        md.WriteTag(1, WireFormat.WireType.Varint);
                        md.WriteEnum(m.Type);
                        md.WriteTag(3, WireFormat.WireType.Varint);
                        md.WriteUInt32(m.Help);
                        md.WriteTag(4, WireFormat.WireType.Varint);
                        md.WriteUInt32(m.Unit);
                    });
                }
            });
        }

        if (symbolsLast)
        {
            WriteSymbols(output, symbols);
        }

        output.Flush();
        return stream.ToArray();
    }

    private static void WriteSymbols(CodedOutputStream output, string[] symbols)
    {
        foreach (var symbol in symbols)
        {
            output.WriteTag(4, WireFormat.WireType.LengthDelimited);
            output.WriteString(symbol);
        }
    }

    public static void WriteLabel(CodedOutputStream output, string name, string value)
    {
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(name);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    public static void WriteSample(CodedOutputStream output, long ts, double value)
    {
        output.WriteTag(1, WireFormat.WireType.Fixed64);
        output.WriteDouble(value);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt64(ts);
    }

    public static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> body)
    {
        var inner = new MemoryStream();
        var innerOutput = new CodedOutputStream(inner);
        body(innerOutput);
        innerOutput.Flush();
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(inner.ToArray()));
    }
}
