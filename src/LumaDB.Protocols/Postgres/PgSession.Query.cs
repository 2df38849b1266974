using System.Globalization;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Protocols.Postgres.Types;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Postgres;

/// <summary>The message loop, the simple query protocol and how errors are reported.</summary>
public sealed partial class PgSession
{
    private static readonly short[] TextFormats = [];

    private async Task QueryLoopAsync(PgSessionRegistry.Entry entry, CancellationToken closed)
    {
        while (true)
        {
            var type = await ReadCommandAsync(closed);
            if (type is null)
            {
                return;
            }

            entry.Touch();
            switch (type.Value)
            {
                case FrontendMessageType.Query:
                    await HandleSimpleQueryAsync(entry, QueryToken(entry, closed), closed);
                    ReadyForQuery();
                    await FlushAsync(closed);
                    break;
                case FrontendMessageType.Sync:
                    _discardUntilSync = false;
                    if (_sql!.TransactionState == SessionTransactionState.Idle)
                    {
                        // Outside a transaction block, Sync ends the implicit transaction and with it every portal.
                        await ClosePortalsAsync();
                    }

                    ReadyForQuery();
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
                    if (!_discardUntilSync)
                    {
                        // Only Execute runs a statement a cancel request can stop; the other messages skip linking a token source.
                        if (type.Value == FrontendMessageType.Execute)
                        {
                            ArmStatementTimeout(entry);
                            await HandleExtendedAsync(type.Value, QueryToken(entry, closed), closed);
                        }
                        else
                        {
                            await HandleExtendedAsync(type.Value, closed, closed);
                        }
                    }

                    break;
                case FrontendMessageType.CopyData or FrontendMessageType.CopyDone or FrontendMessageType.CopyFail:
                    // Outside COPY the protocol says to ignore these.
                    break;
                default:
                    LogProtocolViolation($"invalid frontend message type {type.Value}");
                    await SendFatalAsync(PgSqlState.ProtocolViolation, $"invalid frontend message type {type.Value}", closed);
                    return;
            }

            // Large results were flushed as they went; keep the buffer from holding on to them.
            if (_output.Length > 1 << 20)
            {
                await FlushAsync(closed);
            }
        }
    }

    /// <summary>
    /// The token a statement runs under: fires when the connection closes or a CancelRequest arrives. The linked
    /// source is kept across statements (making one per Execute costs two registrations and a source per query)
    /// and made again only once it fired or the session's cancel scope was renewed.
    /// </summary>
    private CancellationToken QueryToken(PgSessionRegistry.Entry entry, CancellationToken closed)
    {
        var cancel = entry.QueryCancellation;
        if (_queryScope is null || _queryScope.IsCancellationRequested || _queryScopeCancel != cancel)
        {
            _queryScope?.Dispose();
            _queryScope = CancellationTokenSource.CreateLinkedTokenSource(closed, cancel);
            _queryScopeCancel = cancel;
        }

        return _queryScope.Token;
    }

    private void ReadyForQuery() => _output.ReadyForQuery(_sql!.TransactionState switch
    {
        SessionTransactionState.InBlock => (byte)'T',
        SessionTransactionState.Failed => (byte)'E',
        _ => (byte)'I',
    });

    private async Task HandleSimpleQueryAsync(PgSessionRegistry.Entry entry, CancellationToken query, CancellationToken closed)
    {
        var reader = new PgBodyReader(_body.AsSpan(0, _bodyLength));
        if (!reader.TryReadCString(out var sql) || reader.Remaining != 0)
        {
            _output.ErrorOrNotice((byte)'E', new PgError("ERROR", PgSqlState.ProtocolViolation, "invalid Query message"));
            return;
        }

        // A simple query ends any unnamed statement and portal, as in PostgreSQL.
        _statements.Remove("");
        StatementsChanged();
        await ClosePortalAsync("");
        if (!SqlParser.TryParseScript(sql, out var script, out var syntaxError))
        {
            // PostgreSQL sends no hint with syntax errors; psql output stays identical.
            _output.ErrorOrNotice((byte)'E', new PgError("ERROR", SqlSyntaxError.SqlState, syntaxError.Message) { Position = syntaxError.Position });
            return;
        }

        if (script.Statements.Count == 0)
        {
            _output.EmptyMessage((byte)'I');
            return;
        }

        foreach (var statement in script.Statements)
        {
            // As in PostgreSQL 13 and later, each statement of a query string gets its own statement_timeout,
            // as set when it starts (a SET earlier in the string applies to the statements after it).
            ArmStatementTimeout(entry, disarmWhenOff: true);

            var text = script.TextOf(statement);
            var offset = statement.Span.Start;
            try
            {
                var prepared = _sql!.Prepare(text);
                await using var result = await _sql.ExecuteAsync(prepared, [], query);
                SendNotices(result);
                if (result.CopyIn is { } sink)
                {
                    _output.CommandComplete(await CopyInAsync(sink, query, closed));
                    continue;
                }

                if (result.CopyOut is { } copyOut)
                {
                    await CopyOutAsync(result, copyOut, query, closed);
                    _output.CommandComplete(result.CommandTag);
                    continue;
                }

                if (result.Rows is not null)
                {
                    _output.RowDescription(Describe(result.Columns, TextFormats));
                    await SendRowsAsync(result, result.Rows.GetAsyncEnumerator(query), TextFormats, closed);
                }

                _output.CommandComplete(result.CommandTag);
            }
            catch (Exception e) when (IsStatementError(e, query, closed))
            {
                // The first error ends the query string, as in PostgreSQL.
                _output.ErrorOrNotice((byte)'E', ToError(e, offset));
                return;
            }
        }
    }

    private void SendNotices(StatementResult result)
    {
        if (!result.HasNotices)
        {
            return;
        }

        foreach (var notice in result.Notices)
        {
            _output.ErrorOrNotice((byte)'N', new PgError("NOTICE", "00000", notice));
        }
    }

    /// <summary>Sends every remaining row as DataRow messages, flushing as the buffer fills.</summary>
    private async Task SendRowsAsync(StatementResult result, IAsyncEnumerator<ResultBatch> rows, short[] formats, CancellationToken closed)
    {
        await using (rows)
        {
            while (await rows.MoveNextAsync())
            {
                WriteRows(result.Columns, rows.Current, 0, rows.Current.RowCount, formats);
                if (_output.Length > 256 << 10)
                {
                    await FlushAsync(closed);
                }
            }
        }
    }

    private void WriteRows(IReadOnlyList<ResultColumn> columns, ResultBatch batch, int from, int to, short[] formats)
    {
        for (var row = from; row < to; row++)
        {
            _output.BeginDataRow(columns.Count);
            for (var c = 0; c < columns.Count; c++)
            {
                var vector = batch.Columns[c];
                if (vector.IsNull(row) || !PgValueCodec.TryWriteInteger(_output, vector.Values, row, vector.Type, FormatOf(formats, c)))
                {
                    PgValueCodec.Write(_output, vector.GetValue(row), vector.Type, FormatOf(formats, c));
                }
            }

            _output.EndMessage();
        }
    }

    private static short FormatOf(short[] formats, int column) => formats.Length switch
    {
        0 => 0,
        1 => formats[0],
        _ => formats[column],
    };

    private static PgColumn[] Describe(IReadOnlyList<ResultColumn> columns, short[] formats)
    {
        var described = new PgColumn[columns.Count];
        for (var i = 0; i < described.Length; i++)
        {
            var column = columns[i];
            described[i] = new PgColumn(column.Name, (int)column.Type.Oid, column.Type.TypLen, column.Type.TypMod, FormatOf(formats, i), (int)column.TableId, column.ColumnNumber);
        }

        return described;
    }

    /// <summary>Errors a statement reports to the client; anything else (the connection closing) ends the session.</summary>
    private static bool IsStatementError(Exception e, CancellationToken query, CancellationToken closed) => e switch
    {
        SqlException or SqlSyntaxException or PgProtocolException => true,
        OperationCanceledException => query.IsCancellationRequested && !closed.IsCancellationRequested,
        NotImplementedException or NotSupportedException or InvalidOperationException or ArgumentException
            or FormatException or OverflowException or InvalidCastException or KeyNotFoundException => true,
        _ => false,
    };

    private PgError ToError(Exception e, int positionOffset = 0)
    {
        switch (e)
        {
            case SqlSyntaxException syntax:
                return new PgError("ERROR", SqlSyntaxError.SqlState, syntax.Error.Message) { Position = syntax.Position + positionOffset };
            // The engine reports a cancellation as 57014 or lets it through; only this layer knows whether the deadline fired it.
            case SqlException { SqlState: SqlState.QueryCanceled } or OperationCanceledException when _entry is { CancelledByTimeout: true }:
                return new PgError("ERROR", PgSqlState.QueryCanceled, "canceling statement due to statement timeout");
            case SqlException sql:
                return new PgError("ERROR", sql.SqlState, sql.Message)
                {
                    Hint = sql.Hint,
                    Detail = sql.Detail,
                    Where = sql.Where,
                    Position = sql.Position + positionOffset,
                    Schema = sql.Schema,
                    Table = sql.Table,
                    Column = sql.Column,
                    Constraint = sql.Constraint,
                };
            case PgProtocolException protocol:
                return new PgError("ERROR", protocol.SqlState, protocol.Message);
            case OperationCanceledException:
                return new PgError("ERROR", PgSqlState.QueryCanceled, "canceling statement due to user request");
            default:
                LogInternalError(e);
                return new PgError("ERROR", "XX000", e.Message);
        }
    }

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "PostgreSQL statement failed unexpectedly")]
    private partial void LogInternalError(Exception exception);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
