using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// One accepted PostgreSQL connection on its own thread. The thread blocks in a socket receive (the socket is never
/// used asynchronously, so it stays a blocking descriptor and the receive is one system call), writes the bytes into
/// the input pipe and flushes it: the pipe resumes the session inline, so the session parses, executes and sends its
/// reply (<see cref="PgSocketWriter"/>, a blocking send) on this thread before it receives again. When the session
/// awaits something else (a commit's log flush), its continuation runs wherever that completes and the thread is
/// already back in the receive.
/// </summary>
internal sealed class PgSocketConnection : ConnectionContext, IDuplexPipe
{
    private readonly Socket _socket;
    private readonly Pipe _input = new(new PipeOptions(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 1 << 20,
        resumeWriterThreshold: 512 << 10,
        useSynchronizationContext: false));

    private readonly PgSocketWriter _output;
    private readonly CancellationTokenSource _closed = new();
    private int _aborted;
    private Action? _onClosed;

    public PgSocketConnection(Socket socket, string connectionId, Action? onClosed = null)
    {
        _onClosed = onClosed;
        _socket = socket;
        _output = new PgSocketWriter(socket);
        ConnectionId = connectionId;
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        Transport = this;
        ConnectionClosed = _closed.Token;
        var thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "PostgreSQL connection" };
        thread.Start();
    }

    /// <inheritdoc />
    public PipeReader Input => _input.Reader;

    /// <inheritdoc />
    public PipeWriter Output => _output;

    /// <inheritdoc />
    public override string ConnectionId { get; set; }

    /// <inheritdoc />
    public override IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    /// <inheritdoc />
    public override IDuplexPipe Transport { get; set; }

    /// <inheritdoc />
    public override EndPoint? LocalEndPoint { get; set; }

    /// <inheritdoc />
    public override EndPoint? RemoteEndPoint { get; set; }

    /// <inheritdoc />
    public override CancellationToken ConnectionClosed { get; set; }

    /// <inheritdoc />
    public override void Abort(ConnectionAbortedException abortReason) => Shutdown();

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        // The receive thread sees the shutdown, completes the input and leaves.
        Shutdown();
        _closed.Cancel();
        _socket.Dispose();
        Interlocked.Exchange(ref _onClosed, null)?.Invoke();
        return base.DisposeAsync();
    }

    private void Shutdown()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            // Wakes the receive blocked on the other thread (closing alone would not).
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void ReceiveLoop()
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                var received = _socket.Receive(memory.Span, SocketFlags.None);
                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);

                // Runs the session on this thread until it waits for more input; blocks only when the session has
                // fallen a megabyte behind (a COPY whose rows are slower to store than to send).
                var flush = writer.FlushAsync();
                var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.OperationAborted)
        {
            error = new ConnectionResetException(e.Message, e);
        }
        catch (ObjectDisposedException)
        {
        }
#pragma warning disable CA1031 // The thread's last resort: whatever ended the receive ends the connection, reported to the session as the input's error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }
        finally
        {
            // A client that half-closes after its last message still gets the answers: only the input ends here.
            // The socket closes when the session is done (DisposeAsync), or here when the client reset it.
            writer.Complete(error);
            if (error is not null)
            {
                _closed.Cancel();
            }
        }
    }
}
