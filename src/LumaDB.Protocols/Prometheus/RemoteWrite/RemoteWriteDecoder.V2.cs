using System.Text.Unicode;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>Remote write 2.0: a symbol table, then series whose labels are pairs of symbol references.</summary>
public sealed partial class RemoteWriteDecoder
{
    private bool TryDecodeV2<TSink>(ReadOnlySpan<byte> body, ref TSink sink, ref RemoteWriteCounts counts, out string? error)
        where TSink : IRemoteWriteSink
    {
        // The symbol table may legally follow the series on the wire, so it is read in a pass of its own.
        _symbolCount = 0;
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return Fail(out error, "malformed Request: bad field tag");
            }

            if (field == 4 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var symbol) || !Utf8.IsValid(symbol))
                {
                    return Fail(out error, "malformed Request: bad symbol");
                }

                if (_symbolCount == _symbols.Length)
                {
                    Array.Resize(ref _symbols, _symbols.Length * 2);
                }

                _symbols[_symbolCount++] = (OffsetOf(body, symbol), symbol.Length);
            }
            else if (!reader.TrySkip(wire))
            {
                return Fail(out error, $"malformed Request: cannot skip field {field}");
            }
        }

        if (_symbolCount > 0 && _symbols[0].Length != 0)
        {
            return Fail(out error, "invalid Request: the first symbol must be the empty string");
        }

        reader = new ProtoReader(body);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 5 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out var series))
                {
                    return Fail(out error, "malformed Request: truncated timeseries");
                }

                if (!TryDecodeSeriesV2(body, series, counts.Series, ref sink, ref counts, out error))
                {
                    return false;
                }

                counts.Series++;
            }
            else
            {
                reader.TrySkip(wire);
            }
        }

        error = null;
        return true;
    }

    private bool TryDecodeSeriesV2<TSink>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> series, int index, ref TSink sink, ref RemoteWriteCounts counts, out string? error)
        where TSink : IRemoteWriteSink
    {
        var labelCount = 0;
        var hasMetadata = false;
        ReadOnlySpan<byte> metadata = default;
        var reader = new ProtoReader(series);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wire))
            {
                return Fail(out error, $"malformed timeseries {index}: bad field tag");
            }

            if (field == 1)
            {
                if (!TryReadRefs(ref reader, wire, ref _labels, ref labelCount, out error, index))
                {
                    return false;
                }
            }
            else if (field == 5 && wire == WireType.LengthDelimited)
            {
                if (!reader.TryReadLengthDelimited(out metadata))
                {
                    return Fail(out error, $"malformed timeseries {index}: bad metadata");
                }

                hasMetadata = true;
            }
            else if (!reader.TrySkip(wire))
            {
                return Fail(out error, $"malformed timeseries {index}: cannot skip field {field}");
            }
        }

        labelCount = DropEmptyValues(_labels.AsSpan(0, labelCount));
        if (labelCount < 0)
        {
            return Fail(out error, $"invalid timeseries {index}: labels_refs must hold name/value pairs");
        }

        if (!TryCheckLabels(body, _labels.AsSpan(0, labelCount), index, requireName: true, out error))
        {
            return false;
        }

        var labels = _labels.AsSpan(0, labelCount);
        sink.BeginSeries(body, labels, default);
        if (hasMetadata)
        {
            if (!TryDecodeMetadataV2(body, metadata, labels, ref sink))
            {
                return Fail(out error, $"malformed timeseries {index}: bad metadata");
            }

            counts.Metadata++;
        }

        reader = new ProtoReader(series);
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
                    if (!reader.TryReadLengthDelimited(out var histogram) || !TryReadHistogram(histogram, _histogram, out error))
                    {
                        error ??= $"malformed timeseries {index}: bad histogram";
                        return false;
                    }

                    sink.Histogram(_histogram);
                    counts.Histograms++;
                    break;
                case 4 when wire == WireType.LengthDelimited:
                    if (!reader.TryReadLengthDelimited(out var exemplar) || !TryDecodeExemplarV2(body, exemplar, index, ref sink, out error))
                    {
                        error ??= $"malformed timeseries {index}: bad exemplar";
                        return false;
                    }

                    counts.Exemplars++;
                    break;
                default:
                    reader.TrySkip(wire);
                    break;
            }
        }

        sink.EndSeries();
        error = null;
        return true;
    }

    /// <summary>
    /// Reads labels_refs, packed or not, pairing references into labels. A name still waiting for its value is
    /// held as a ref with ValueLength -1 (its NameOffset is then the symbol index), because a sender may split
    /// the pairs across records.
    /// </summary>
    private bool TryReadRefs(ref ProtoReader reader, WireType wire, ref LabelRef[] labels, ref int count, out string? error, int index)
    {
        error = null;
        if (wire == WireType.LengthDelimited)
        {
            if (!reader.TryReadLengthDelimited(out var packed))
            {
                return Fail(out error, $"malformed timeseries {index}: truncated labels_refs");
            }

            var inner = new ProtoReader(packed);
            while (!inner.End)
            {
                if (!inner.TryReadVarint(out var symbol) || symbol >= (ulong)_symbolCount)
                {
                    return Fail(out error, $"invalid timeseries {index}: label reference outside the symbol table");
                }

                AddRef(ref labels, ref count, (int)symbol);
            }

            return true;
        }

        if (wire != WireType.Varint || !reader.TryReadVarint(out var single) || single >= (ulong)_symbolCount)
        {
            return Fail(out error, $"invalid timeseries {index}: label reference outside the symbol table");
        }

        AddRef(ref labels, ref count, (int)single);
        return true;
    }

    private void AddRef(ref LabelRef[] labels, ref int count, int symbol)
    {
        if (count > 0 && labels[count - 1].ValueLength == -1)
        {
            var (nameOffset, nameLength) = _symbols[labels[count - 1].NameOffset];
            var (valueOffset, valueLength) = _symbols[symbol];
            labels[count - 1] = new LabelRef(nameOffset, nameLength, valueOffset, valueLength);
        }
        else
        {
            Add(ref labels, ref count, new LabelRef(symbol, 0, 0, -1));
        }
    }

    private static int DropEmptyValues(Span<LabelRef> labels)
    {
        var kept = 0;
        foreach (var label in labels)
        {
            if (label.ValueLength == -1)
            {
                return -1;
            }

            if (label.ValueLength > 0)
            {
                labels[kept++] = label;
            }
        }

        return kept;
    }

    private bool TryDecodeExemplarV2<TSink>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> exemplar, int index, ref TSink sink, out string? error)
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

            bool ok;
            if (field == 1)
            {
                ok = TryReadRefs(ref reader, wire, ref _exemplarLabels, ref count, out error, index);
            }
            else
            {
                ok = (field, wire) switch
                {
                    (2, WireType.Fixed64) => reader.TryReadDouble(out value),
                    (3, WireType.Varint) => TryReadInt64(ref reader, out timestamp),
                    _ => reader.TrySkip(wire),
                };
            }

            if (!ok)
            {
                return false;
            }
        }

        count = DropEmptyValues(_exemplarLabels.AsSpan(0, count));
        if (count < 0)
        {
            return Fail(out error, $"invalid exemplar in timeseries {index}: labels_refs must hold name/value pairs");
        }

        if (!TryCheckLabels(body, _exemplarLabels.AsSpan(0, count), index, requireName: false, out error))
        {
            return false;
        }

        sink.Exemplar(body, _exemplarLabels.AsSpan(0, count), value, timestamp);
        return true;
    }

    private bool TryDecodeMetadataV2<TSink>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> metadata, ReadOnlySpan<LabelRef> labels, ref TSink sink)
        where TSink : IRemoteWriteSink
    {
        ulong type = 0, help = 0, unit = 0;
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
                (3, WireType.Varint) => reader.TryReadVarint(out help),
                (4, WireType.Varint) => reader.TryReadVarint(out unit),
                _ => reader.TrySkip(wire),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (help >= (ulong)Math.Max(_symbolCount, 1) || unit >= (ulong)Math.Max(_symbolCount, 1))
        {
            return false;
        }

        ReadOnlySpan<byte> family = default;
        foreach (var label in labels)
        {
            if (label.Name(body).SequenceEqual(MetricNameLabel))
            {
                family = label.Value(body);
            }
        }

        var helpText = _symbolCount == 0 ? default : body.Slice(_symbols[(int)help].Offset, _symbols[(int)help].Length);
        var unitText = _symbolCount == 0 ? default : body.Slice(_symbols[(int)unit].Offset, _symbols[(int)unit].Length);
        sink.Metadata(type <= 7 ? (MetricType)type : MetricType.Unknown, family, helpText, unitText);
        return true;
    }
}
