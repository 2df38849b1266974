using System.Buffers;
using Grpc.Core;

namespace LumaDB.Protocols.Otlp;

/// <summary>An OTLP gRPC request message as its encoded bytes, in an array rented from the shared pool.</summary>
public sealed class OtlpPayload : IDisposable
{
    private byte[]? _rented;
    private readonly int _length;

    private OtlpPayload(byte[] rented, int length)
    {
        _rented = rented;
        _length = length;
    }

    /// <summary>Copies the message bytes out of the gRPC frame; nothing is parsed here.</summary>
    public static Marshaller<OtlpPayload> Marshaller { get; } = new(
        (_, _) => throw new NotSupportedException("OTLP requests are only received"),
        context =>
        {
            var payload = context.PayloadAsReadOnlySequence();
            var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)payload.Length));
            payload.CopyTo(rented);
            return new OtlpPayload(rented, (int)payload.Length);
        });

    /// <summary>The encoded request.</summary>
    public ReadOnlyMemory<byte> Body => _rented is { } rented ? rented.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(OtlpPayload));

    /// <summary>Returns the bytes to the pool.</summary>
    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
