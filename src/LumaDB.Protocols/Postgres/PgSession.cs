using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using LumaDB.Protocols.Postgres.Auth;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// One PostgreSQL client connection: startup, authentication, then the query loop. Statements are parsed with
/// the SQL parser so syntax errors come back exactly as PostgreSQL reports them; queries without tables
/// (SELECT without FROM, VALUES) run on the expression engine, and other statements are answered with
/// <c>0A000</c> until the planner lands. Protocol rules already hold: one
/// ReadyForQuery per simple query, extended-protocol errors discard messages up to Sync, empty queries get
/// EmptyQueryResponse, and a malformed message closes only this session.
/// </summary>
public sealed partial class PgSession : IDisposable
{
    private readonly IDuplexPipe _transport;
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
        }
    }

    private async Task QueryLoopAsync(PgSessionRegistry.Entry entry, CancellationToken closed)
    {
        while (true)
        {
            var type = await ReadMessageAsync(closed);
            if (type is null)
            {
                return;
            }

            var body = _body.AsSpan(0, _bodyLength);
            switch (type.Value)
            {
                case FrontendMessageType.Query:
                    HandleSimpleQuery(body);
                    _output.ReadyForQuery((byte)'I');
                    await FlushAsync(closed);
                    break;
                case FrontendMessageType.Sync:
                    _discardUntilSync = false;
                    _output.ReadyForQuery((byte)'I');
                    await FlushAsync(closed);
                    break;
                case FrontendMessageType.Flush:
                    await FlushAsync(closed);
                    break;
                case FrontendMessageType.Terminate:
                    await FlushAsync(closed);
                    return;
                case FrontendMessageType.Parse or FrontendMessageType.Bind or FrontendMessageType.Describe
                    or FrontendMessageType.Execute or FrontendMessageType.Close:
                    HandleExtended(type.Value, body);
                    break;
                case FrontendMessageType.CopyData or FrontendMessageType.CopyDone or FrontendMessageType.CopyFail:
                    // Outside COPY the protocol says to ignore these.
                    break;
                default:
                    LogProtocolViolation($"invalid frontend message type {type.Value}");
                    await SendFatalAsync(PgSqlState.ProtocolViolation, $"invalid frontend message type {type.Value}", closed);
                    return;
            }

            entry.Touch();
        }
    }

    private void HandleSimpleQuery(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        if (!reader.TryReadCString(out var sql) || reader.Remaining != 0)
        {
            _output.ErrorOrNotice((byte)'E', new PgError("ERROR", PgSqlState.ProtocolViolation, "invalid Query message"));
            return;
        }

        if (!SqlParser.TryParseScript(sql, out var script, out var syntaxError))
        {
            _output.ErrorOrNotice((byte)'E', new PgError("ERROR", SqlSyntaxError.SqlState, syntaxError!.Message)
            {
                // PostgreSQL sends no hint with syntax errors; psql output stays identical.
                Position = syntaxError.Position,
            });
            return;
        }

        if (script!.Statements.Count == 0)
        {
            _output.EmptyMessage((byte)'I');
            return;
        }

        foreach (var statement in script.Statements)
        {
            // The first error ends the query string, as in PostgreSQL.
            if (!TryRunStatement(statement, script.TextOf(statement)))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs what the engine can run today (SELECT without FROM, VALUES) and answers the rest with 0A000.
    /// Returns false after an error.
    /// </summary>
    private bool TryRunStatement(Statement statement, string text)
    {
        if (statement is not SelectStatement { Query: { IsBareBody: true } query }
            || query.Body is not (SelectBody { From.IsEmpty: true, Where: null, GroupBy.IsEmpty: true, Having: null } or ValuesBody))
        {
            _output.ErrorOrNotice((byte)'E', NotYet(text));
            return false;
        }

        QueryResult result;
        try
        {
            result = ConstantQueryExecutor.Execute(query, new EvaluationContext());
        }
        catch (SqlException e)
        {
            _output.ErrorOrNotice((byte)'E', new PgError("ERROR", e.SqlState, e.Message) { Hint = e.Hint, Detail = e.Detail });
            return false;
        }

        var columns = new PgColumn[result.ColumnNames.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var type = result.ColumnTypes[i];
            columns[i] = new PgColumn(result.ColumnNames[i], (int)type.Oid, type.TypLen, type.TypMod);
        }

        _output.RowDescription(columns);
        var rows = result.Batch.Length;
        for (var row = 0; row < rows; row++)
        {
            var values = result.TextRow(row);
            _output.BeginDataRow(values.Count);
            foreach (var value in values)
            {
                if (value is null)
                {
                    _output.WriteNull();
                }
                else
                {
                    _output.WriteValue(System.Text.Encoding.UTF8.GetBytes(value));
                }
            }

            _output.EndMessage();
        }

        _output.CommandComplete("SELECT " + rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    private void HandleExtended(byte type, ReadOnlySpan<byte> body)
    {
        if (_discardUntilSync)
        {
            return;
        }

        PgError error;
        if (type == FrontendMessageType.Parse && ParseMessage.TryDecode(body) is { } parse)
        {
            error = SqlParser.TryParseScript(parse.Sql, out _, out var syntaxError)
                ? NotYet(parse.Sql)
                : new PgError("ERROR", SqlSyntaxError.SqlState, syntaxError.Message) { Position = syntaxError.Position };
        }
        else if (type == FrontendMessageType.Parse)
        {
            error = new PgError("ERROR", PgSqlState.ProtocolViolation, "invalid Parse message");
        }
        else
        {
            // Nothing was prepared, so any statement or portal named here does not exist.
            error = new PgError("ERROR", "26000", "prepared statement or portal does not exist");
        }

        _output.ErrorOrNotice((byte)'E', error);
        _discardUntilSync = true;
    }

    private static PgError NotYet(string statement)
    {
        var text = statement.Trim();
        return new PgError("ERROR", PgSqlState.FeatureNotSupported, "LumaDB cannot execute SQL statements yet")
        {
            Detail = "statement: " + (text.Length > 200 ? text[..200] + "..." : text),
        };
    }

    /// <summary>Reads one framed message into the session's body buffer; null when the client has gone.</summary>
    private async ValueTask<byte?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var status = PgMessageReader.TryRead(buffer, _options.MaxMessageBytes, out var type, out var body, out var consumed, out var error);
            if (status == PgFrameStatus.Complete)
            {
                _bodyLength = (int)body.Length;
                if (_body.Length < _bodyLength)
                {
                    _body = new byte[Math.Max(_bodyLength, _body.Length * 2)];
                }

                body.CopyTo(_body);
                input.AdvanceTo(buffer.GetPosition(consumed));
                return type;
            }

            if (status == PgFrameStatus.Error)
            {
                LogProtocolViolation(error!);
                await SendFatalAsync(PgSqlState.ProtocolViolation, error!, cancellationToken);
                return null;
            }

            if (read.IsCompleted)
            {
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
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
    public void Dispose() => _output.Dispose();

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "PostgreSQL protocol violation: {Reason}")]
    private partial void LogProtocolViolation(string reason);

    /// <summary>The client closed the connection while the session was writing.</summary>
    private sealed class ConnectionClosedException : Exception;
}
