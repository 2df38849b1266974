using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>
/// Decodes remote write 1.0 and 2.0 request bodies (already decompressed) into an <see cref="IRemoteWriteSink"/>,
/// straight from the buffer. One instance serves one request at a time and keeps its scratch arrays between
/// requests, so steady-state decoding allocates nothing per series or sample.
/// </summary>
public sealed partial class RemoteWriteDecoder
{
    // Series announced ahead of the decode at a time: their slots (a line each) stay in cache until looked up, and
    // the scratch stays small however large a request is.
    private const int AnnounceWindow = 1024;

    private static ReadOnlySpan<byte> MetricNameLabel => "__name__"u8;

    private LabelRef[] _labels = new LabelRef[32];
    private LabelRef[] _exemplarLabels = new LabelRef[8];
    private (int Offset, int Length)[] _symbols = new (int, int)[256];
    private readonly (int Length, ulong Hash)[] _leading = new (int, ulong)[AnnounceWindow];
    private readonly NativeHistogram _histogram = new();
    private int _symbolCount;

    /// <summary>
    /// Checks a whole request without applying anything: the outcome and counts a real decode would have.
    /// Callers validate first so a malformed request changes nothing.
    /// </summary>
    public bool TryValidate(ReadOnlySpan<byte> body, RemoteWriteVersion version, out RemoteWriteCounts counts, out string? error)
    {
        var sink = new CountingSink();
        return TryDecode(body, version, ref sink, out counts, out error);
    }

    /// <summary>Decodes a request into <paramref name="sink"/>; on failure the sink may have seen part of it.</summary>
    public bool TryDecode<TSink>(ReadOnlySpan<byte> body, RemoteWriteVersion version, ref TSink sink, out RemoteWriteCounts counts, out string? error)
        where TSink : IRemoteWriteSink
    {
        counts = default;
        return version == RemoteWriteVersion.V1
            ? TryDecodeV1(body, ref sink, ref counts, out error)
            : TryDecodeV2(body, ref sink, ref counts, out error);
    }

    private bool TryDecodeV1<TSink>(ReadOnlySpan<byte> body, ref TSink sink, ref RemoteWriteCounts counts, out string? error)
        where TSink : IRemoteWriteSink
    {
        var ahead = new ProtoReader(body);
        var windowStart = 0;
        var announced = 0;
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return Fail(out error, "malformed WriteRequest: bad field tag");
            }

            if (field == 1 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var series))
                {
                    return Fail(out error, "malformed WriteRequest: truncated timeseries");
                }

                if (counts.Series == windowStart + announced && !ahead.End)
                {
                    windowStart = counts.Series;
                    announced = AnnounceSeriesV1(ref ahead, ref sink);
                }

                var leading = counts.Series - windowStart < announced ? _leading[counts.Series - windowStart] : LeadingLabels(series);
                if (!TryDecodeSeriesV1(body, series, leading, counts.Series, ref sink, ref counts, out error))
                {
                    return false;
                }

                counts.Series++;
            }
            else if (field == 3 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var metadata) || !TryDecodeMetadataV1(metadata, ref sink))
                {
                    return Fail(out error, "malformed WriteRequest: bad metadata");
                }

                counts.Metadata++;
            }
            else if (!reader.TrySkip(wire))
            {
                return Fail(out error, $"malformed WriteRequest: cannot skip field {field}");
            }
        }

        error = null;
        return true;
    }

    /// <summary>
    /// A walk ahead of the decode over the next <see cref="AnnounceWindow"/> timeseries messages: the leading label
    /// run of each and its hash, kept for the decode, and announced to the sink so its lookups of them are in cache
    /// by the time they run. Stops early at the first thing that does not parse (the decode reports it; the reader
    /// is then left at its end, so later windows announce nothing). Returns how many series it covered.
    /// </summary>
    private int AnnounceSeriesV1<TSink>(ref ProtoReader reader, ref TSink sink)
        where TSink : IRemoteWriteSink
    {
        var count = 0;
        while (count < AnnounceWindow && !reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                reader = default;
                break;
            }

            if (field == 1 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var series))
                {
                    reader = default;
                    break;
                }

                var leading = LeadingLabels(series);
                _leading[count++] = leading;
                if (leading.Length > 0)
                {
                    sink.PrefetchEncodedSeries(leading.Hash);
                }
            }
            else if (!reader.TrySkip(wire))
            {
                reader = default;
                break;
            }
        }

        return count;
    }

    /// <summary>The length of a timeseries message's leading label run (see <see cref="LeadingLabelsLength"/>) and its XxHash3.</summary>
    private static (int Length, ulong Hash) LeadingLabels(ReadOnlySpan<byte> series)
    {
        var length = LeadingLabelsLength(series);
        return (length, length > 0 ? System.IO.Hashing.XxHash3.HashToUInt64(series[..length]) : 0);
    }

    private bool TryDecodeSeriesV1<TSink>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> series, (int Length, ulong Hash) leading, int index, ref TSink sink, ref RemoteWriteCounts counts, out string? error)
        where TSink : IRemoteWriteSink
    {
        // A series the sink knows by the bytes of its labels needs no label parsing or checking: the same bytes
        // were valid when first seen. Only a message whose labels all lead it qualifies, so the bytes are all of them.
        var encodedLength = leading.Length;
        var encodedLabels = encodedLength < 0 ? default : series[..encodedLength];
        if (encodedLength > 0 && sink.TryBeginEncodedSeries(encodedLabels, leading.Hash))
        {
            return TryDecodeSeriesDataV1(body, series[encodedLength..], index, ref sink, ref counts, out error);
        }

        // Labels first, wherever they sit in the message: the sink needs the series before its samples.
        var labelCount = 0;
        var reader = new ProtoReader(series);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return Fail(out error, $"malformed timeseries {index}: bad field tag");
            }

            if (field == 1 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var label) || !TryReadLabelV1(body, label, out var labelRef))
                {
                    return Fail(out error, $"malformed timeseries {index}: bad label");
                }

                if (labelRef.ValueLength > 0)
                {
                    Add(ref _labels, ref labelCount, labelRef);
                }
            }
            else if (!reader.TrySkip(wire))
            {
                return Fail(out error, $"malformed timeseries {index}: cannot skip field {field}");
            }
        }

        if (!TryCheckLabels(body, _labels.AsSpan(0, labelCount), index, requireName: true, out error))
        {
            return false;
        }

        sink.BeginSeries(body, _labels.AsSpan(0, labelCount), encodedLabels);
        return TryDecodeSeriesDataV1(body, series[Math.Max(encodedLength, 0)..], index, ref sink, ref counts, out error);
    }

    /// <summary>
    /// The length of the run of label fields that starts a timeseries message when no label field follows it;
    /// -1 when labels come later too or the message does not parse (the full decode then reports it).
    /// </summary>
    private static int LeadingLabelsLength(ReadOnlySpan<byte> series)
    {
        var reader = new ProtoReader(series);
        var leading = 0;
        var inRun = true;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return -1;
            }

            if (field == 1)
            {
                if (!inRun || wire != WireType.LengthDelimited || !reader.TryReadLengthDelimited(out _))
                {
                    return -1;
                }

                leading = reader.Position;
            }
            else
            {
                inRun = false;
                if (!reader.TrySkip(wire))
                {
                    return -1;
                }
            }
        }

        return leading;
    }

    /// <summary>
    /// The samples, exemplars and histograms of a timeseries message whose series has begun; <paramref name="fields"/>
    /// is the message, or its part after the leading labels.
    /// </summary>
    private bool TryDecodeSeriesDataV1<TSink>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> fields, int index, ref TSink sink, ref RemoteWriteCounts counts, out string? error)
        where TSink : IRemoteWriteSink
    {
        error = null;
        var reader = new ProtoReader(fields);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 2 when wire == WireType.LengthDelimited:
                    if (!reader.TryReadLengthDelimited(out var sample) || !TryReadSample(sample, out var ts, out var value))
                    {
                        return Fail(out error, $"malformed timeseries {index}: bad sample");
                    }

                    sink.Sample(ts, value);
                    counts.Samples++;
                    break;
                case 3 when wire == WireType.LengthDelimited:
                    if (!reader.TryReadLengthDelimited(out var exemplar) || !TryDecodeExemplarV1(body, exemplar, index, ref sink, out error))
                    {
                        error ??= $"malformed timeseries {index}: bad exemplar";
                        return false;
                    }

                    counts.Exemplars++;
                    break;
                case 4 when wire == WireType.LengthDelimited:
                    if (!reader.TryReadLengthDelimited(out var histogram) || !TryReadHistogram(histogram, _histogram, out error))
                    {
                        error ??= $"malformed timeseries {index}: bad histogram";
                        return false;
                    }

                    sink.Histogram(_histogram);
                    counts.Histograms++;
                    break;
                default:
                    if (!reader.TrySkip(wire))
                    {
                        return Fail(out error, $"malformed timeseries {index}: cannot skip field {field}");
                    }

                    break;
            }
        }

        sink.EndSeries();
        error = null;
        return true;
    }

    private bool TryDecodeExemplarV1<TSink>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> exemplar, int index, ref TSink sink, out string? error)
        where TSink : IRemoteWriteSink
    {
        error = null;
        var count = 0;
        double value = 0;
        long timestamp = 0;
        var reader = new ProtoReader(exemplar);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return false;
            }

            var ok = (field, wire) switch
            {
                (1, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out var label) && TryReadLabelV1(body, label, out var labelRef) && Add(ref _exemplarLabels, ref count, labelRef),
                (2, WireType.Fixed64) => reader.TryReadDouble(out value),
                (3, WireType.Varint) => TryReadInt64(ref reader, out timestamp),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (!TryCheckLabels(body, _exemplarLabels.AsSpan(0, count), index, requireName: false, out error))
        {
            return false;
        }

        sink.Exemplar(body, _exemplarLabels.AsSpan(0, count), value, timestamp);
        return true;
    }

    private static bool TryDecodeMetadataV1<TSink>(ReadOnlySpan<byte> metadata, ref TSink sink)
        where TSink : IRemoteWriteSink
    {
        ulong type = 0;
        ReadOnlySpan<byte> family = default, help = default, unit = default;
        var reader = new ProtoReader(metadata);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return false;
            }

            var ok = (field, wire) switch
            {
                (1, WireType.Varint) => reader.TryReadVarint(out type),
                (2, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out family),
                (4, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out help),
                (5, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out unit),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (!Utf8.IsValid(family) || !Utf8.IsValid(help) || !Utf8.IsValid(unit))
        {
            return false;
        }

        sink.Metadata(type <= 7 ? (MetricType)type : MetricType.Unknown, family, help, unit);
        return true;
    }

    private static bool TryReadLabelV1(ReadOnlySpan<byte> body, ReadOnlySpan<byte> label, out LabelRef labelRef)
    {
        labelRef = default;
        ReadOnlySpan<byte> name = default, value = default;
        var reader = new ProtoReader(label);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return false;
            }

            var ok = (field, wire) switch
            {
                (1, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out name),
                (2, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out value),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        labelRef = new LabelRef(OffsetOf(body, name), name.Length, OffsetOf(body, value), value.Length);
        return true;
    }

    private static bool TryReadSample(ReadOnlySpan<byte> sample, out long timestamp, out double value)
    {
        timestamp = 0;
        value = 0;
        var reader = new ProtoReader(sample);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return false;
            }

            var ok = (field, wire) switch
            {
                (1, WireType.Fixed64) => reader.TryReadDouble(out value),
                (2, WireType.Varint) => TryReadInt64(ref reader, out timestamp),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadInt64(ref ProtoReader reader, out long value)
    {
        var ok = reader.TryReadVarint(out var raw);
        value = (long)raw;
        return ok;
    }

    /// <summary>Label names must be non-empty UTF-8 and unique; values UTF-8. Sorts the labels by name.</summary>
    private static bool TryCheckLabels(ReadOnlySpan<byte> body, Span<LabelRef> labels, int index, bool requireName, out string? error)
    {
        error = null;
        for (var i = 0; i < labels.Length; i++)
        {
            var name = labels[i].Name(body);
            if (name.IsEmpty || !Utf8.IsValid(name))
            {
                return Fail(out error, $"invalid label name in timeseries {index}: names must be non-empty UTF-8");
            }

            if (!Utf8.IsValid(labels[i].Value(body)))
            {
                return Fail(out error, $"invalid label value in timeseries {index} for label \"{System.Text.Encoding.UTF8.GetString(name)}\": not UTF-8");
            }
        }

        LabelRef.SortByName(body, labels);

        var hasName = false;
        for (var i = 0; i < labels.Length; i++)
        {
            var name = labels[i].Name(body);
            if (i > 0 && name.SequenceEqual(labels[i - 1].Name(body)))
            {
                return Fail(out error, $"invalid labels in timeseries {index}: duplicate label name \"{System.Text.Encoding.UTF8.GetString(name)}\"");
            }

            hasName |= name.SequenceEqual(MetricNameLabel);
        }

        if (requireName && !hasName)
        {
            return Fail(out error, $"invalid labels in timeseries {index}: no metric name (__name__ label)");
        }

        return true;
    }

    private static bool Add(ref LabelRef[] array, ref int count, LabelRef item)
    {
        if (count == array.Length)
        {
            Array.Resize(ref array, array.Length * 2);
        }

        array[count++] = item;
        return true;
    }

    private static int OffsetOf(ReadOnlySpan<byte> body, ReadOnlySpan<byte> part) =>
        part.IsEmpty ? 0 : (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(body), ref MemoryMarshal.GetReference(part));

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }

    /// <summary>Counts without storing: the validation pass.</summary>
    private struct CountingSink : IRemoteWriteSink
    {
        public readonly void BeginSeries(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, ReadOnlySpan<byte> encodedLabels)
        {
        }

        public readonly bool TryBeginEncodedSeries(ReadOnlySpan<byte> encodedLabels, ulong hash) => false;

        public readonly void PrefetchEncodedSeries(ulong hash)
        {
        }

        public readonly void Sample(long timestampMs, double value)
        {
        }

        public readonly void Histogram(NativeHistogram histogram)
        {
        }

        public readonly void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long timestampMs)
        {
        }

        public readonly void EndSeries()
        {
        }

        public readonly void Metadata(MetricType type, ReadOnlySpan<byte> familyName, ReadOnlySpan<byte> help, ReadOnlySpan<byte> unit)
        {
        }
    }
}
