using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Text;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>Builds remote write 1.0 requests (protobuf by hand, snappy block format) as Prometheus sends them.</summary>
public static class RemoteWriteV1
{
    public static HttpContent Content(IEnumerable<(IReadOnlyList<(string Name, string Value)> Labels, IReadOnlyList<(long Ts, double Value)> Samples)> series)
    {
        var request = new MemoryStream();
        foreach (var (labels, samples) in series)
        {
            var ts = new MemoryStream();
            foreach (var (name, value) in labels)
            {
                var label = new MemoryStream();
                WriteBytes(label, 1, Encoding.UTF8.GetBytes(name));
                WriteBytes(label, 2, Encoding.UTF8.GetBytes(value));
                WriteBytes(ts, 1, label.ToArray());
            }

            foreach (var (t, v) in samples)
            {
                var sample = new MemoryStream();
                sample.WriteByte((1 << 3) | 1);
                var bits = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(bits, v);
                sample.Write(bits);
                sample.WriteByte(2 << 3);
                WriteVarint(sample, (ulong)t);
                WriteBytes(ts, 2, sample.ToArray());
            }

            WriteBytes(request, 1, ts.ToArray());
        }

        var content = new ByteArrayContent(Snappier.Snappy.CompressToArray(request.ToArray()));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        return content;
    }

    private static void WriteBytes(Stream output, int field, byte[] bytes)
    {
        output.WriteByte((byte)((field << 3) | 2));
        WriteVarint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
