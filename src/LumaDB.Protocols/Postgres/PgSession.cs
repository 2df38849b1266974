using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using LumaDB.Protocols.Postgres.Auth;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Query.Sql.Sessions;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// One PostgreSQL client connection: startup (TLS, authentication), then the simple and extended query
/// protocols over an <see cref="ISqlSession"/> made by <see cref="PgServerOptions.SessionFactory"/>. One
/// ReadyForQuery per simple query, extended-protocol errors discard messages up to Sync, empty queries get
/// EmptyQueryResponse, and a malformed message closes only this session.
/// </summary>
public sealed partial class PgSession : IDisposable
{
    private IDuplexPipe _transport;
    private readonly IPAddress? _client;
    private readonly string _clientText;
    private readonly PgServerOptions _options;
    private readonly PgAuthenticator _authenticator;
    private readonly PgSessionRegistry _registry;
    private readonly ILogger _logger;
    private readonly PgOutputBuffer _output = new();
    private byte[] _body = new byte[4096];
    private int _bodyLength;
    private bool _discardUntilSync;
    private PipeReader? _pendingReader;
    private ReadOnlySequence<byte> _pending;
    private bool _pendingCompleted;
    private bool _tls;
    private ISqlSession? _sql;
    private CancellationTokenSource? _queryScope;
    private CancellationToken _queryScopeCancel;
    private PgSessionRegistry.Entry? _entry;

    /// <summary>Creates a session over an accepted connection.</summary>
    public PgSession(IDuplexPipe transport, IPAddress? client, PgServerOptions options, PgAuthenticator authenticator, PgSessionRegistry registry, ILogger logger)
    {
        _transport = transport;
        _client = client;
        _clientText = client?.ToString() ?? "unknown";
        _options = options;
        _authenticator = authenticator;
        _registry = registry;
        _logger = logger;
    }

    /// <summary>
    /// Set when the connection is beyond <see cref="PgServerOptions.MaxConnections"/>: a CancelRequest is still
    /// served, any other start-up gets FATAL 53300.
    /// </summary>
    public bool OverConnectionLimit { get; init; }

    /// <summary>The user the session authenticated as.</summary>
    public string User { get; private set; } = "";

    /// <summary>The database the client asked for.</summary>
    public string Database { get; private set; } = "";

    /// <summary>Runs the session until the client leaves, an error ends it, or <paramref name="closed"/> fires.</summary>
    public async Task RunAsync(CancellationToken closed)
    {
        PgSessionRegistry.Entry? entry = null;
        try
        {
            using (var startup = CancellationTokenSource.CreateLinkedTokenSource(closed))
            {
                startup.CancelAfter(_options.StartupTimeout);
                entry = await StartAsync(startup.Token);
            }

            if (entry is null)
            {
                return;
            }

            await QueryLoopAsync(entry, closed);
        }
        catch (OperationCanceledException)
        {
            // The startup deadline passed or the connection closed: nothing left to answer.
        }
        catch (ConnectionClosedException)
        {
        }
        finally
        {
            if (entry is not null)
            {
                _registry.Remove(entry);
            }

            await ClosePortalsAsync();
            if (_sql is not null)
            {
                await _sql.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Reads one framed message into the session's body buffer; null when the client has gone. Messages a client
    /// sends together (Bind, Execute, Sync) come out of one transport read: the read is kept and advanced past
    /// once used up, so each message does not take the pipe's lock twice.
    /// </summary>
    private async ValueTask<byte?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        while (true)
        {
            if (!ReferenceEquals(_pendingReader, input))
            {
                var read = await input.ReadAsync(cancellationToken);
                _pending = read.Buffer;
                _pendingCompleted = read.IsCompleted;
                _pendingReader = input;
            }

            var buffer = _pending;
            var status = PgMessageReader.TryRead(buffer, _options.MaxMessageBytes, out var type, out var body, out var consumed, out var error);
            if (status == PgFrameStatus.Complete)
            {
                _bodyLength = (int)body.Length;
                if (_body.Length < _bodyLength)
                {
                    _body = new byte[Math.Max(_bodyLength, _body.Length * 2)];
                }

                body.CopyTo(_body);
                _pending = buffer.Slice(consumed);
                if (_pending.IsEmpty)
                {
                    input.AdvanceTo(_pending.Start);
                    _pendingReader = null;
                }

                return type;
            }

            if (status == PgFrameStatus.Error)
            {
                LogProtocolViolation(error!);
                await SendFatalAsync(PgSqlState.ProtocolViolation, error!, cancellationToken);
                return null;
            }

            if (_pendingCompleted)
            {
                return null;
            }

            // Part of a message: keep it and wait for more.
            input.AdvanceTo(buffer.Start, buffer.End);
            _pendingReader = null;
        }
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_output.Length == 0)
        {
            return;
        }

        var result = await _transport.Output.WriteAsync(_output.WrittenMemory, cancellationToken);
        _output.Reset();
        if (result.IsCompleted)
        {
            throw new ConnectionClosedException();
        }
    }

    private async ValueTask SendFatalAsync(string sqlState, string message, CancellationToken cancellationToken)
    {
        _output.ErrorOrNotice((byte)'E', new PgError("FATAL", sqlState, message));
        await FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _output.Dispose();
        _sslStream?.Dispose();
        _queryScope?.Dispose();
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "PostgreSQL protocol violation: {Reason}")]
    private partial void LogProtocolViolation(string reason);

    /// <summary>The client closed the connection while the session was writing.</summary>
    private sealed class ConnectionClosedException : Exception;
}
