using LumaDB.Protocols.Postgres.Copy;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// The COPY sub-protocol, from a simple Query or an extended Execute. COPY FROM STDIN answers CopyInResponse
/// and then reads CopyData as it comes, decoding complete rows and handing them to the session's sink in
/// batches, so a load of any size streams through a fixed amount of memory; CopyDone commits, CopyFail or an
/// error rolls everything back. COPY TO STDOUT answers CopyOutResponse, one CopyData per row, CopyDone.
/// </summary>
public sealed partial class PgSession
{
    private const int CopyBatchRows = 4096;

    /// <summary>Runs a COPY FROM STDIN to its end and returns its command tag; throws (after aborting the COPY) on any error.</summary>
    private async Task<string> CopyInAsync(ICopyIn sink, CancellationToken query, CancellationToken closed)
    {
        _output.CopyResponse((byte)'G', sink.Options.IsBinary, sink.Columns.Count);
        await FlushAsync(closed);
        using var decoder = new CopyInDecoder(sink);
        var rows = new List<object?[]>(CopyBatchRows);
        var lines = new List<long>(CopyBatchRows);
        try
        {
            while (true)
            {
                var type = await ReadMessageAsync(closed) ?? throw new ConnectionClosedException();
                switch (type)
                {
                    case FrontendMessageType.CopyData:
                        decoder.Append(_body.AsSpan(0, _bodyLength));
                        decoder.Decode(rows, lines, final: false);
                        if (rows.Count >= CopyBatchRows)
                        {
                            await WriteCopyBatchAsync(sink, rows, lines, query);
                        }

                        break;
                    case FrontendMessageType.CopyDone:
                        decoder.Decode(rows, lines, final: true);
                        await WriteCopyBatchAsync(sink, rows, lines, query);
                        return await sink.CompleteAsync(query);
                    case FrontendMessageType.CopyFail:
                        {
                            var reader = new PgBodyReader(_body.AsSpan(0, _bodyLength));
                            var reason = reader.TryReadCString(out var text) ? text : string.Empty;
                            throw new SqlException(SqlState.QueryCanceled, $"COPY from stdin failed: {reason}");
                        }

                    case FrontendMessageType.Flush or FrontendMessageType.Sync:
                        // The protocol says to ignore these during copy-in.
                        break;
                    default:
                        throw new PgProtocolException(PgSqlState.ProtocolViolation, $"unexpected message type 0x{type:X2} during COPY from stdin");
                }
            }
        }
        catch
        {
            sink.Abort();
            throw;
        }
    }

    private static async Task WriteCopyBatchAsync(ICopyIn sink, List<object?[]> rows, List<long> lines, CancellationToken query)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await sink.WriteAsync(rows.ToArray(), lines.ToArray(), query);
        rows.Clear();
        lines.Clear();
    }

    /// <summary>Sends a COPY TO STDOUT's rows: CopyOutResponse, CopyData messages, CopyDone.</summary>
    private async Task CopyOutAsync(StatementResult result, CopyOptions options, CancellationToken query, CancellationToken closed)
    {
        _output.CopyResponse((byte)'H', options.IsBinary, result.Columns.Count);
        var encoder = new CopyOutEncoder(options, result.Columns);
        encoder.WriteStart(_output);
        if (result.Rows is not null)
        {
            await foreach (var batch in result.Rows.WithCancellation(query))
            {
                for (var row = 0; row < batch.RowCount; row++)
                {
                    encoder.WriteRow(_output, batch, row);
                    if (_output.Length > 256 << 10)
                    {
                        await FlushAsync(closed);
                    }
                }
            }
        }

        encoder.WriteEnd(_output);
        _output.EmptyMessage((byte)'c');
    }
}
