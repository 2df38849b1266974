using System.Buffers.Binary;
using System.Text;

namespace LumaDB.Bench.RemoteWrite;

/// <summary>Encodes remote write 1.0 WriteRequests the way Prometheus does (labels, then samples per series).</summary>
internal sealed class WriteRequestEncoder
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an encoder whose buffer starts at <paramref name="capacity"/> bytes and grows as needed.</summary>
    public WriteRequestEncoder(int capacity = 1 << 20) => _buffer = new byte[capacity];

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Reset() => _length = 0;

    /// <summary>
    /// The encoded Label messages (field 1 of TimeSeries, tags included) of a series: a sender encodes them once
    /// and copies them into every request.
    /// </summary>
    public static byte[] EncodeLabels((string Name, string Value)[] labels)
    {
        // A small buffer: this runs once per series, and a request-sized one each time made preparing 100k series take minutes.
        var encoder = new WriteRequestEncoder(256);
        foreach (var (name, value) in labels)
        {
            encoder.Ensure(LabelSize(name, value) + 16);
            encoder.Tag(1, 2);
            encoder.Varint((ulong)LabelSize(name, value));
            encoder.String(1, name);
            encoder.String(2, value);
        }

        return encoder.Written.ToArray();
    }

    /// <summary>Appends one TimeSeries whose labels were encoded by <see cref="EncodeLabels"/>.</summary>
    public void AddSeries(ReadOnlySpan<byte> encodedLabels, ReadOnlySpan<(long Ts, double Value)> samples)
    {
        var size = encodedLabels.Length + SamplesSize(samples);

        Ensure(size + 16);
        Tag(1, 2);
        Varint((ulong)size);
        encodedLabels.CopyTo(_buffer.AsSpan(_length));
        _length += encodedLabels.Length;
        AddSamples(samples);
    }

    /// <summary>Appends one TimeSeries (field 1 of WriteRequest).</summary>
    public void AddSeries((string Name, string Value)[] labels, ReadOnlySpan<(long Ts, double Value)> samples)
    {
        var size = 0;
        foreach (var (name, value) in labels)
        {
            var label = LabelSize(name, value);
            size += 1 + VarintSize((ulong)label) + label;
        }

        size += SamplesSize(samples);

        Ensure(size + 16);
        Tag(1, 2);
        Varint((ulong)size);
        foreach (var (name, value) in labels)
        {
            Tag(1, 2);
            Varint((ulong)LabelSize(name, value));
            String(1, name);
            String(2, value);
        }

        AddSamples(samples);
    }

    private void AddSamples(ReadOnlySpan<(long Ts, double Value)> samples)
    {
        foreach (var (ts, value) in samples)
        {
            Tag(2, 2);
            Varint((ulong)SampleSize(ts));
            Tag(1, 1);
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
            _length += 8;
            Tag(2, 0);
            Varint((ulong)ts);
        }
    }

    private static int SampleSize(long ts) => 9 + 1 + VarintSize((ulong)ts);

    // The Sample messages of a TimeSeries, each with its tag and length prefix.
    private static int SamplesSize(ReadOnlySpan<(long Ts, double Value)> samples)
    {
        var size = 0;
        foreach (var (ts, _) in samples)
        {
            var sample = SampleSize(ts);
            size += 1 + VarintSize((ulong)sample) + sample;
        }

        return size;
    }

    private static int LabelSize(string name, string value)
    {
        var n = Encoding.UTF8.GetByteCount(name);
        var v = Encoding.UTF8.GetByteCount(value);
        return 1 + VarintSize((ulong)n) + n + 1 + VarintSize((ulong)v) + v;
    }

    private void String(int field, string text)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        Tag(field, 2);
        Varint((ulong)count);
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void Tag(int field, int wire) => Varint((ulong)((field << 3) | wire));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
