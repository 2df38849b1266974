namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Native histograms: the same message layout in both remote write versions.</summary>
public sealed partial class RemoteWriteDecoder
{
    private static bool TryReadHistogram(ReadOnlySpan<byte> message, NativeHistogram histogram, out string? error)
    {
        histogram.Clear();
        error = null;
        var hasIntCount = false;
        var hasFloatBuckets = false;
        var hasDeltas = false;
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return false;
            }

            ulong raw;
            double number;
            var ok = true;
            switch (field, wire)
            {
                case (1, WireType.Varint):
                    ok = reader.TryReadVarint(out raw);
                    histogram.Count = raw;
                    hasIntCount = true;
                    break;
                case (2, WireType.Fixed64):
                    ok = reader.TryReadDouble(out number);
                    histogram.Count = number;
                    histogram.IsFloat = true;
                    break;
                case (3, WireType.Fixed64):
                    ok = reader.TryReadDouble(out number);
                    histogram.Sum = number;
                    break;
                case (4, WireType.Varint):
                    ok = reader.TryReadVarint(out raw);
                    histogram.Schema = (int)ProtoReader.ZigZag(raw);
                    break;
                case (5, WireType.Fixed64):
                    ok = reader.TryReadDouble(out number);
                    histogram.ZeroThreshold = number;
                    break;
                case (6, WireType.Varint):
                    ok = reader.TryReadVarint(out raw);
                    histogram.ZeroCount = raw;
                    break;
                case (7, WireType.Fixed64):
                    ok = reader.TryReadDouble(out number);
                    histogram.ZeroCount = number;
                    break;
                case (8, WireType.LengthDelimited):
                    ok = TryReadSpan(ref reader, histogram.NegativeSpans);
                    break;
                case (9, _):
                    ok = TryReadDeltas(ref reader, wire, histogram.NegativeBuckets);
                    hasDeltas = true;
                    break;
                case (10, _):
                    ok = TryReadDoubles(ref reader, wire, histogram.NegativeBuckets);
                    hasFloatBuckets = true;
                    break;
                case (11, WireType.LengthDelimited):
                    ok = TryReadSpan(ref reader, histogram.PositiveSpans);
                    break;
                case (12, _):
                    ok = TryReadDeltas(ref reader, wire, histogram.PositiveBuckets);
                    hasDeltas = true;
                    break;
                case (13, _):
                    ok = TryReadDoubles(ref reader, wire, histogram.PositiveBuckets);
                    hasFloatBuckets = true;
                    break;
                case (14, WireType.Varint):
                    ok = reader.TryReadVarint(out raw);
                    histogram.ResetHint = raw <= 3 ? (HistogramResetHint)raw : HistogramResetHint.Unknown;
                    break;
                case (15, WireType.Varint):
                    ok = reader.TryReadVarint(out raw);
                    histogram.TimestampMs = (long)raw;
                    break;
                case (16, _):
                    ok = TryReadDoubles(ref reader, wire, histogram.CustomValues);
                    break;
                default:
                    ok = reader.TrySkip(wire);
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (hasDeltas && hasFloatBuckets || hasIntCount && histogram.IsFloat)
        {
            return Fail(out error, "invalid histogram: integer and float forms mixed");
        }

        if (!SpansMatch(histogram.NegativeSpans, histogram.NegativeBuckets.Count) || !SpansMatch(histogram.PositiveSpans, histogram.PositiveBuckets.Count))
        {
            return Fail(out error, "invalid histogram: bucket spans do not match the number of buckets");
        }

        return true;
    }

    private static bool SpansMatch(List<(int Offset, uint Length)> spans, int buckets)
    {
        long total = 0;
        foreach (var (_, length) in spans)
        {
            total += length;
        }

        return total == buckets;
    }

    private static bool TryReadSpan(ref ProtoReader reader, List<(int Offset, uint Length)> spans)
    {
        if (!reader.TryReadLengthDelimited(out var message))
        {
            return false;
        }

        ulong offset = 0, length = 0;
        var inner = new ProtoReader(message);
        while (!inner.End)
        {
            if (!inner.TryReadTag(out var field, out var wire))
            {
                return false;
            }

            var ok = (field, wire) switch
            {
                (1, WireType.Varint) => inner.TryReadVarint(out offset),
                (2, WireType.Varint) => inner.TryReadVarint(out length),
                _ => inner.TrySkip(wire),
            };
            if (!ok || length > uint.MaxValue)
            {
                return false;
            }
        }

        spans.Add(((int)ProtoReader.ZigZag(offset), (uint)length));
        return true;
    }

    /// <summary>Integer buckets arrive as deltas from the previous bucket; they are stored as absolute counts.</summary>
    private static bool TryReadDeltas(ref ProtoReader reader, WireType wire, List<double> buckets)
    {
        long running = buckets.Count == 0 ? 0 : (long)buckets[^1];
        if (wire == WireType.Varint)
        {
            if (!reader.TryReadVarint(out var one))
            {
                return false;
            }

            running += ProtoReader.ZigZag(one);
            buckets.Add(running);
            return true;
        }

        if (wire != WireType.LengthDelimited || !reader.TryReadLengthDelimited(out var packed))
        {
            return false;
        }

        var inner = new ProtoReader(packed);
        while (!inner.End)
        {
            if (!inner.TryReadVarint(out var delta))
            {
                return false;
            }

            running += ProtoReader.ZigZag(delta);
            buckets.Add(running);
        }

        return true;
    }

    private static bool TryReadDoubles(ref ProtoReader reader, WireType wire, List<double> values)
    {
        if (wire == WireType.Fixed64)
        {
            if (!reader.TryReadDouble(out var one))
            {
                return false;
            }

            values.Add(one);
            return true;
        }

        if (wire != WireType.LengthDelimited || !reader.TryReadLengthDelimited(out var packed) || packed.Length % 8 != 0)
        {
            return false;
        }

        var inner = new ProtoReader(packed);
        while (!inner.End)
        {
            inner.TryReadDouble(out var value);
            values.Add(value);
        }

        return true;
    }
}
