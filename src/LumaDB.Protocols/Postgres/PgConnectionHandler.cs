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
                if (status == StartupParseStatus.Incomplete)
                {
                    if (read.IsCompleted)
                    {
                        return;
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                if (status == StartupParseStatus.Error)
                {
                    LogBadStartup(connection.RemoteEndPoint?.ToString(), error!);
                    PgErrorResponse.Write(output, "FATAL", PgErrorResponse.ProtocolViolation, error!);
                    await output.FlushAsync(timeout.Token);
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
                        PgErrorResponse.Write(output, "FATAL", PgErrorResponse.FeatureNotSupported,
                            $"unsupported frontend protocol {packet.MajorVersion}.{packet.MinorVersion}: server supports 3.0 to 3.0");
                        await output.FlushAsync(timeout.Token);
                        return;
                    default:
                        PgErrorResponse.Write(output, "FATAL", PgErrorResponse.FeatureNotSupported,
                            "LumaDB does not serve SQL sessions over the PostgreSQL protocol yet");
                        await output.FlushAsync(timeout.Token);
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

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Rejected PostgreSQL startup from {Remote}: {Reason}")]
    private partial void LogBadStartup(string? remote, string reason);
}
