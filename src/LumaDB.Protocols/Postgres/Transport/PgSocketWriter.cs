using System.IO.Pipelines;
using System.Net.Sockets;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The output of a <see cref="PgSocketConnection"/>: a blocking send of whatever the session writes, on the thread
/// that writes it. <see cref="WriteAsync"/> (the session's flush of its own buffer) sends without copying; the
/// GetMemory/Advance/FlushAsync path (TLS records) collects into a buffer first. A failed send reports a
/// completed writer, which the session takes as the client having gone.
/// </summary>
internal sealed class PgSocketWriter(Socket socket) : PipeWriter
{
    private static readonly ValueTask<FlushResult> Sent = new(new FlushResult(isCanceled: false, isCompleted: false));
    private static readonly ValueTask<FlushResult> Gone = new(new FlushResult(isCanceled: false, isCompleted: true));
    private byte[]? _buffer;
    private int _written;
    private bool _failed;

    /// <inheritdoc />
    public override void Advance(int bytes) => _written += bytes;

    /// <inheritdoc />
    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    /// <inheritdoc />
    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    /// <inheritdoc />
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        return SendPending() && !_failed ? Sent : Gone;
    }

    /// <inheritdoc />
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        return SendPending() && Send(source.Span) ? Sent : Gone;
    }

    /// <inheritdoc />
    public override void CancelPendingFlush()
    {
        // A blocking send cannot be cancelled; aborting the connection ends it.
    }

    /// <inheritdoc />
    public override void Complete(Exception? exception = null)
    {
        _failed = true;
    }

    /// <summary>Sends what GetMemory/Advance collected, if anything; false when the send failed.</summary>
    private bool SendPending()
    {
        if (_written == 0)
        {
            return true;
        }

        var pending = _written;
        _written = 0;
        return Send(_buffer.AsSpan(0, pending));
    }

    private byte[] Reserve(int sizeHint)
    {
        var need = _written + Math.Max(sizeHint, 1);
        if (_buffer is null || _buffer.Length < need)
        {
            var grown = new byte[Math.Max(need, Math.Max(8192, (_buffer?.Length ?? 0) * 2))];
            _buffer?.AsSpan(0, _written).CopyTo(grown);
            _buffer = grown;
        }

        return _buffer;
    }

    private bool Send(ReadOnlySpan<byte> data)
    {
        if (_failed)
        {
            return false;
        }

        try
        {
            while (!data.IsEmpty)
            {
                data = data[socket.Send(data, SocketFlags.None)..];
            }

            return true;
        }
        catch (SocketException)
        {
            _failed = true;
            return false;
        }
        catch (ObjectDisposedException)
        {
            _failed = true;
            return false;
        }
    }
}
