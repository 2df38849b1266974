using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LumaDB.Protocols.Postgres;
using Microsoft.AspNetCore.Connections;

namespace LumaDB.Protocols.Tests.Postgres;

/// <summary>The thread-per-connection transport of the PostgreSQL listener over real loopback sockets.</summary>
public sealed class PgTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<(IConnectionListener Listener, TcpClient Client, ConnectionContext Server)> ConnectAsync()
    {
        var listener = await new PgTransportFactory().BindAsync(new PgListenEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.EndPoint).Port;
        Assert.NotEqual(0, port);
        var client = new TcpClient();
        var accept = listener.AcceptAsync().AsTask();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var server = await accept.WaitAsync(Timeout);
        Assert.NotNull(server);
        return (listener, client, server!);
    }

    private static async Task<byte[]> ReadExactlyAsync(ConnectionContext server, int count)
    {
        var received = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await server.Transport.Input.ReadAsync().AsTask().WaitAsync(Timeout);
            var take = (int)Math.Min(read.Buffer.Length, count - filled);
            read.Buffer.Slice(0, take).CopyTo(received.AsSpan(filled));
            filled += take;
            server.Transport.Input.AdvanceTo(read.Buffer.GetPosition(take));
            Assert.False(read.IsCompleted && filled < count, "the input ended early");
        }

        return received;
    }

    [Fact]
    public void Factory_ClaimsOnlyThePostgresEndPoint()
    {
        var factory = new PgTransportFactory();
        Assert.True(factory.CanBind(new PgListenEndPoint(IPAddress.Loopback, 5432)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.Loopback, 5432)));
    }

    [Fact]
    public async Task ClientBytes_ReachTheInput_AndOutputWrites_ReachTheClient()
    {
        var (listener, client, server) = await ConnectAsync();
        await using (listener)
        using (client)
        {
            var stream = client.GetStream();
            await stream.WriteAsync("hello"u8.ToArray());
            Assert.Equal("hello"u8.ToArray(), await ReadExactlyAsync(server, 5));
            Assert.Equal(((IPEndPoint)client.Client.LocalEndPoint!).Port, ((IPEndPoint)server.RemoteEndPoint!).Port);

            // Both ways of writing: a whole buffer, and GetSpan/Advance/FlushAsync.
            var result = await server.Transport.Output.WriteAsync("wor"u8.ToArray());
            Assert.False(result.IsCompleted);
            "ld"u8.CopyTo(server.Transport.Output.GetSpan(2));
            server.Transport.Output.Advance(2);
            result = await server.Transport.Output.FlushAsync();
            Assert.False(result.IsCompleted);

            var reply = new byte[5];
            await stream.ReadExactlyAsync(reply).AsTask().WaitAsync(Timeout);
            Assert.Equal("world"u8.ToArray(), reply);
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClientClose_CompletesTheInput_LaterWritesReportTheClientGone_AndDisposeFiresConnectionClosed()
    {
        var (listener, client, server) = await ConnectAsync();
        await using (listener)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.ConnectionClosed.Register(() => closed.TrySetResult());
            client.Dispose();

            ReadResult read;
            do
            {
                read = await server.Transport.Input.ReadAsync().AsTask().WaitAsync(Timeout);
                server.Transport.Input.AdvanceTo(read.Buffer.End);
            }
            while (!read.IsCompleted);

            // The client's socket is closed: once its reset comes back, a write reports a completed writer (the
            // session's "client has gone") instead of throwing.
            FlushResult result = default;
            for (var i = 0; i < 50 && !result.IsCompleted; i++)
            {
                result = await server.Transport.Output.WriteAsync(new byte[64 << 10]);
                await Task.Delay(10);
            }

            Assert.True(result.IsCompleted);
            await server.DisposeAsync();
            await closed.Task.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ClientHalfClose_StillGetsTheReplyToItsLastMessage()
    {
        var (listener, client, server) = await ConnectAsync();
        await using (listener)
        using (client)
        {
            var stream = client.GetStream();
            await stream.WriteAsync("last"u8.ToArray());
            client.Client.Shutdown(SocketShutdown.Send);
            Assert.Equal("last"u8.ToArray(), await ReadExactlyAsync(server, 4));
            var read = await server.Transport.Input.ReadAsync().AsTask().WaitAsync(Timeout);
            Assert.True(read.IsCompleted);
            Assert.False(server.ConnectionClosed.IsCancellationRequested);

            await server.Transport.Output.WriteAsync("reply"u8.ToArray());
            var reply = new byte[5];
            await stream.ReadExactlyAsync(reply).AsTask().WaitAsync(Timeout);
            Assert.Equal("reply"u8.ToArray(), reply);
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServerDispose_EndsTheClientsConnection()
    {
        var (listener, client, server) = await ConnectAsync();
        await using (listener)
        using (client)
        {
            await server.DisposeAsync();
            var buffer = new byte[16];
            var read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Timeout);
            Assert.Equal(0, read);
        }
    }

    [Fact]
    public async Task InputFarLargerThanThePipe_ArrivesWhole_WhileTheReaderLags()
    {
        var (listener, client, server) = await ConnectAsync();
        await using (listener)
        using (client)
        {
            // Four times the pipe's pause threshold, read slowly: the receive thread must wait, not drop or reorder.
            var payload = RandomNumberGenerator.GetBytes(4 << 20);
            var send = client.GetStream().WriteAsync(payload).AsTask();
            await Task.Delay(200);
            var received = await ReadExactlyAsync(server, payload.Length);
            await send.WaitAsync(Timeout);
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
            await server.DisposeAsync();
        }
    }
}
