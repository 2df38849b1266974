using System.Buffers.Binary;

namespace LumaDB.Bench.Otlp;

/// <summary>
/// One pre-encoded export request and where its trace ids, span ids and times sit in the bytes, so that every send
/// can copy it with fresh ids (spans then never replace each other by key, and ids stay as random as real ones)
/// and times moved to the present, without encoding protobuf on the sending path.
/// </summary>
internal sealed class ExportTemplate
{
    private readonly int[] _traceIds;
    private readonly int[] _spanIds;
    private readonly int[] _times;

    public ExportTemplate(byte[] body, int items, long baseUnixNano, int[] traceIdOffsets, int[] spanIdOffsets, int[] timeOffsets)
    {
        Body = body;
        Items = items;
        BaseUnixNano = baseUnixNano;
        _traceIds = traceIdOffsets;
        _spanIds = spanIdOffsets;
        _times = timeOffsets;
    }

    /// <summary>The encoded request.</summary>
    public byte[] Body { get; }

    /// <summary>Spans or log records in it.</summary>
    public int Items { get; }

    /// <summary>The earliest time in the request.</summary>
    public long BaseUnixNano { get; }

    /// <summary>Copies the body into <paramref name="target"/>, XORs every trace id (both halves) and span id with
    /// masks drawn from <paramref name="salt"/> and adds <paramref name="shiftNanos"/> to every time. A span id and
    /// the parent ids that name it get the same mask, so each trace keeps its tree.</summary>
    public void WriteTo(Span<byte> target, ulong salt, long shiftNanos)
    {
        Body.CopyTo(target);
        var high = Mix(salt);
        var low = Mix(high);
        var span = Mix(low);
        foreach (var at in _traceIds)
        {
            Xor(target.Slice(at, 8), high);
            Xor(target.Slice(at + 8, 8), low);
        }

        foreach (var at in _spanIds)
        {
            Xor(target.Slice(at, 8), span);
        }

        foreach (var at in _times)
        {
            var slot = target.Slice(at, 8);
            BinaryPrimitives.WriteUInt64LittleEndian(slot, BinaryPrimitives.ReadUInt64LittleEndian(slot) + (ulong)shiftNanos);
        }
    }

    private static void Xor(Span<byte> slot, ulong mask) =>
        BinaryPrimitives.WriteUInt64LittleEndian(slot, BinaryPrimitives.ReadUInt64LittleEndian(slot) ^ mask);

    /// <summary>SplitMix64's finaliser: distinct inputs give distinct, well-spread masks.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>
    /// Finds the trace ids, span ids and times of an encoded trace or logs export request by walking the wire format
    /// along the fields that lead to them (request → resource → scope → span/log record → event/link).
    /// </summary>
    public static ExportTemplate Locate(byte[] body, int items, long baseUnixNano, bool traces)
    {
        var ids = new List<int>();
        var spanIds = new List<int>();
        var times = new List<int>();
        foreach (var (field, start, length) in Fields(body, 0, body.Length))
        {
            if (field != 1)
            {
                continue;
            }

            foreach (var (f2, s2, l2) in Fields(body, start, length))
            {
                if (f2 != 2)
                {
                    continue;
                }

                foreach (var (f3, s3, l3) in Fields(body, s2, l2))
                {
                    if (f3 != 2)
                    {
                        continue;
                    }

                    foreach (var (f4, s4, l4) in Fields(body, s3, l3))
                    {
                        if (traces)
                        {
                            switch (f4)
                            {
                                case 1 when l4 == 16: ids.Add(s4); break;
                                case 2 or 4 when l4 == 8: spanIds.Add(s4); break;
                                case 7 or 8: times.Add(s4); break;
                                case 11:
                                    times.AddRange(Fields(body, s4, l4).Where(e => e.Field == 1).Select(e => e.Start));
                                    break;
                                case 13:
                                    ids.AddRange(Fields(body, s4, l4).Where(e => e.Field == 1 && e.Length == 16).Select(e => e.Start));
                                    spanIds.AddRange(Fields(body, s4, l4).Where(e => e.Field == 2 && e.Length == 8).Select(e => e.Start));
                                    break;
                            }
                        }
                        else
                        {
                            switch (f4)
                            {
                                case 9 when l4 == 16: ids.Add(s4); break;
                                case 10 when l4 == 8: spanIds.Add(s4); break;
                                case 1 or 11: times.Add(s4); break;
                            }
                        }
                    }
                }
            }
        }

        return new ExportTemplate(body, items, baseUnixNano, [.. ids], [.. spanIds], [.. times]);
    }

    /// <summary>The fields of one message: number, value offset and value length (8 for fixed64, 4 for fixed32).</summary>
    private static List<(int Field, int Start, int Length)> Fields(byte[] body, int start, int length)
    {
        var fields = new List<(int, int, int)>();
        var at = start;
        var end = start + length;
        while (at < end)
        {
            var tag = ReadVarint(body, ref at);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: ReadVarint(body, ref at); break;
                case 1: fields.Add((field, at, 8)); at += 8; break;
                case 2:
                    var size = (int)ReadVarint(body, ref at);
                    fields.Add((field, at, size));
                    at += size;
                    break;
                case 5: fields.Add((field, at, 4)); at += 4; break;
                default: throw new InvalidDataException($"wire type {tag & 7} at {at}");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] body, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = body[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
