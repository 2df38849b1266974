using LumaDB.Protocols.Postgres.Messages;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The PostgreSQL listener's connection handler. It reads the startup packets of protocol 3.0, declines TLS and
/// GSSAPI encryption, and answers a startup with an ErrorResponse saying SQL sessions are not served yet.
/// </summary>
public sealed partial class PgConnectionHandler : ConnectionHandler
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private readonly ILogger<PgConnectionHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public PgConnectionHandler(ILogger<PgConnectionHandler> logger) => _logger = logger;

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(StartupTimeout);
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var buffer = read.Buffer;
                var status = StartupPacketParser.TryParse(buffer, out var packet, out var consumed, out var error);
                if (status == PgFrameStatus.Incomplete)
                {
                    if (read.IsCompleted)
                    {
                        return;
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                if (status == PgFrameStatus.Error)
                {
                    LogBadStartup(connection.RemoteEndPoint?.ToString(), error!);
                    await SendFatalAsync(output, PgSqlState.ProtocolViolation, error!, timeout.Token);
                    return;
                }

                input.AdvanceTo(buffer.GetPosition(consumed));
                switch (packet!.Kind)
                {
                    case StartupPacketKind.SslRequest:
                    case StartupPacketKind.GssEncRequest:
                        // 'N': carry on unencrypted; the client then sends its StartupMessage.
                        output.GetSpan(1)[0] = (byte)'N';
                        output.Advance(1);
                        await output.FlushAsync(timeout.Token);
                        continue;
                    case StartupPacketKind.CancelRequest:
                        return;
                    case StartupPacketKind.Startup when packet.MajorVersion != 3:
                        await SendFatalAsync(output, PgSqlState.FeatureNotSupported,
                            $"unsupported frontend protocol {packet.MajorVersion}.{packet.MinorVersion}: server supports 3.0 to 3.0", timeout.Token);
                        return;
                    default:
                        await SendFatalAsync(output, PgSqlState.FeatureNotSupported,
                            "LumaDB does not serve SQL sessions over the PostgreSQL protocol yet", timeout.Token);
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Startup timed out or the client went away: nothing to answer.
        }
        catch (ConnectionResetException)
        {
        }
    }

    private static async Task SendFatalAsync(System.IO.Pipelines.PipeWriter output, string sqlState, string message, CancellationToken cancellationToken)
    {
        using var buffer = new PgOutputBuffer(256);
        buffer.ErrorOrNotice((byte)'E', new PgError("FATAL", sqlState, message));
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Rejected PostgreSQL startup from {Remote}: {Reason}")]
    private partial void LogBadStartup(string? remote, string reason);
}
