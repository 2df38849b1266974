using System.Buffers;
using Snappier;

namespace LumaDB.Protocols.Prometheus.RemoteWrite;

/// <summary>The HTTP side of remote write: which protocol a request speaks, and its snappy block body.</summary>
public static class RemoteWriteContent
{
    /// <summary>The Content-Type parameter value naming remote write 1.0's message.</summary>
    public const string V1Message = "prometheus.WriteRequest";

    /// <summary>The Content-Type parameter value naming remote write 2.0's message.</summary>
    public const string V2Message = "io.prometheus.write.v2.Request";

    /// <summary>
    /// Chooses the protocol from Content-Type and checks Content-Encoding, as the remote write specs require:
    /// <c>application/x-protobuf</c> alone or with <c>proto=prometheus.WriteRequest</c> is 1.0,
    /// <c>proto=io.prometheus.write.v2.Request</c> is 2.0, and the body must be snappy-compressed.
    /// Returns false with a message fit for a 415 response otherwise.
    /// </summary>
    public static bool TryNegotiate(string? contentType, string? contentEncoding, out RemoteWriteVersion version, out string? error)
    {
        version = RemoteWriteVersion.V1;
        error = null;
        if (!string.IsNullOrEmpty(contentEncoding) && !contentEncoding.Trim().Equals("snappy", StringComparison.OrdinalIgnoreCase))
        {
            error = $"unsupported Content-Encoding \"{contentEncoding}\": remote write bodies must be snappy-compressed";
            return false;
        }

        if (string.IsNullOrEmpty(contentType))
        {
            // Remote write 1.0 senders that omit the header are still common.
            return true;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            error = $"unsupported Content-Type \"{contentType}\": expected application/x-protobuf";
            return false;
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !parameter[..equals].Trim().Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var message = parameter[(equals + 1)..].Trim().Trim('"');
            switch (message)
            {
                case V1Message:
                    version = RemoteWriteVersion.V1;
                    return true;
                case V2Message:
                    version = RemoteWriteVersion.V2;
                    return true;
                default:
                    error = $"unsupported remote write message \"{message}\": this server accepts {V1Message} and {V2Message}";
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Decompresses a snappy block body into a pooled buffer, refusing bodies whose stated size exceeds
    /// <paramref name="maxDecompressedBytes"/> before allocating anything. The caller returns the buffer to
    /// <see cref="ArrayPool{T}.Shared"/>.
    /// </summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed, int maxDecompressedBytes, out byte[]? buffer, out int length, out string? error)
    {
        buffer = null;
        length = 0;
        error = null;
        int size;
        try
        {
            size = Snappy.GetUncompressedLength(compressed);
        }
        catch (InvalidDataException)
        {
            error = "malformed snappy block: bad length header";
            return false;
        }

        if (size > maxDecompressedBytes)
        {
            error = $"decompressed body of {size} bytes exceeds the limit of {maxDecompressedBytes} bytes";
            return false;
        }

        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            length = Snappy.Decompress(compressed, buffer);
            if (length != size)
            {
                throw new InvalidDataException("length mismatch");
            }

            return true;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
            length = 0;
            error = "malformed snappy block: " + e.Message;
            return false;
        }
    }
}
