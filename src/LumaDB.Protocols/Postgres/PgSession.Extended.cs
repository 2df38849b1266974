using System.Buffers.Binary;
using System.Text;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Protocols.Postgres.Types;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres;

/// <summary>The extended query protocol: Parse, Bind, Describe, Execute, Close over named and unnamed statements and portals.</summary>
public sealed partial class PgSession
{
    private readonly Dictionary<string, PgStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PgPortal> _portals = new(StringComparer.Ordinal);
    private static readonly short[] SingleTextFormat = [0];
    private static readonly short[] SingleBinaryFormat = [1];
    private int[] _bindRanges = new int[16];
    private PgStatement? _lastBound;
    private byte[] _lastBoundName = [];
    private PgPortal? _sparePortal;

    private async Task HandleExtendedAsync(byte type, CancellationToken query, CancellationToken closed)
    {
        try
        {
            switch (type)
            {
                case FrontendMessageType.Parse:
                    HandleParse();
                    break;
                case FrontendMessageType.Bind:
                    await HandleBindAsync();
                    break;
                case FrontendMessageType.Describe:
                    HandleDescribe();
                    break;
                case FrontendMessageType.Execute:
                    await HandleExecuteAsync(query, closed);
                    break;
                default:
                    await HandleCloseAsync();
                    break;
            }
        }
        catch (Exception e) when (IsStatementError(e, query, closed))
        {
            _output.ErrorOrNotice((byte)'E', ToError(e));
            _discardUntilSync = true;
        }
    }

    private void HandleParse()
    {
        var parse = ParseMessage.TryDecode(_body.AsSpan(0, _bodyLength)) ?? throw Malformed("Parse");
        if (parse.StatementName.Length > 0 && _statements.ContainsKey(parse.StatementName))
        {
            throw new PgProtocolException("42P05", $"prepared statement \"{parse.StatementName}\" already exists");
        }

        var declared = new SqlType[parse.ParameterTypes.Length];
        for (var i = 0; i < declared.Length; i++)
        {
            declared[i] = PgTypeMap.FromOid((uint)parse.ParameterTypes[i])
                ?? throw new PgProtocolException("42704", $"type with OID {(uint)parse.ParameterTypes[i]} does not exist");
        }

        // An empty query string prepares to EmptyQueryResponse.
        var prepared = IsEmptyQuery(parse.Sql) ? null : _sql!.Prepare(parse.Sql, declared);
        _statements[parse.StatementName] = new PgStatement(prepared, prepared?.ParameterTypes ?? declared);
        StatementsChanged();
        _output.EmptyMessage((byte)'1');
    }

    private static bool IsEmptyQuery(string sql) => SqlParser.TryParseScript(sql, out var script, out _) && script.Statements.Count == 0;

    private async Task HandleBindAsync()
    {
        var portal = Bind(out var portalName);
        await ClosePortalAsync(portalName);
        _portals[portalName] = portal;
        _output.EmptyMessage((byte)'2');
    }

    /// <summary>
    /// Decodes a Bind (the checks of <see cref="BindMessage.TryDecode"/>) straight from the body: the statement is
    /// found by its name's bytes (the last one bound is remembered), parameter values are read in place, and the
    /// portal, its value array and its format array are reused from the last unnamed portal, so a client that
    /// binds and executes the same statement over and over allocates only the values themselves.
    /// </summary>
    private PgPortal Bind(out string portalName)
    {
        var body = _body.AsSpan(0, _bodyLength);
        var reader = new PgBodyReader(body);
        if (!reader.TryReadCStringBytes(out var portalBytes) || !reader.TryReadCStringBytes(out var statementBytes)
            || !reader.TryReadInt16(out var formatCount) || formatCount < 0)
        {
            throw Malformed("Bind");
        }

        var formatsAt = reader.Position;
        if (!reader.TrySkip(formatCount * 2, out _) || !reader.TryReadInt16(out var parameterCount) || parameterCount < 0
            || (formatCount > 1 && formatCount != parameterCount))
        {
            throw Malformed("Bind");
        }

        for (var i = 0; i < formatCount; i++)
        {
            if (ReadInt16(body, formatsAt + (2 * i)) is not (0 or 1))
            {
                throw Malformed("Bind");
            }
        }

        var ranges = _bindRanges.Length >= parameterCount * 2 ? _bindRanges : _bindRanges = new int[parameterCount * 2];
        for (var i = 0; i < parameterCount; i++)
        {
            if (!reader.TryReadInt32(out var length) || length < -1)
            {
                throw Malformed("Bind");
            }

            ranges[2 * i] = 0;
            ranges[(2 * i) + 1] = length;
            if (length >= 0)
            {
                if (!reader.TrySkip(length, out var at))
                {
                    throw Malformed("Bind");
                }

                ranges[2 * i] = at;
            }
        }

        if (!reader.TryReadInt16(out var resultCount) || resultCount < 0)
        {
            throw Malformed("Bind");
        }

        var resultsAt = reader.Position;
        if (!reader.TrySkip(resultCount * 2, out _) || reader.Remaining != 0)
        {
            throw Malformed("Bind");
        }

        for (var i = 0; i < resultCount; i++)
        {
            if (ReadInt16(body, resultsAt + (2 * i)) is not (0 or 1))
            {
                throw Malformed("Bind");
            }
        }

        var statement = FindStatement(statementBytes);
        if (parameterCount != statement.ParameterTypes.Count)
        {
            throw new PgProtocolException(PgSqlState.ProtocolViolation, $"bind message supplies {parameterCount} parameters, but prepared statement \"{Encoding.UTF8.GetString(statementBytes)}\" requires {statement.ParameterTypes.Count}");
        }

        var columns = statement.Prepared?.Columns ?? [];
        if (resultCount > 1 && resultCount != columns.Count)
        {
            throw new PgProtocolException(PgSqlState.ProtocolViolation, $"bind message has {resultCount} result formats but query has {columns.Count} columns");
        }

        portalName = portalBytes.IsEmpty ? "" : Encoding.UTF8.GetString(portalBytes);
        if (portalName.Length > 0 && _portals.ContainsKey(portalName))
        {
            throw new PgProtocolException("42P03", $"cursor \"{portalName}\" already exists");
        }

        var spare = portalName.Length == 0 ? _sparePortal : null;
        _sparePortal = null;
        // The value array is reused only after a point lookup, which is done with its parameters once executed;
        // another statement's rows (a cursor's) may still read them.
        var values = spare is { Statement.Prepared.IsPointLookup: true } && spare.Parameters.Length == parameterCount
            ? spare.Parameters
            : new object?[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            var (offset, length) = (ranges[2 * i], ranges[(2 * i) + 1]);
            var format = formatCount switch
            {
                0 => (short)0,
                1 => ReadInt16(body, formatsAt),
                _ => ReadInt16(body, formatsAt + (2 * i)),
            };
            var type = statement.ParameterTypes[i].Kind == SqlTypeKind.Unknown ? SqlType.Text : statement.ParameterTypes[i];
            values[i] = length >= 0 ? PgValueCodec.Read(body.Slice(offset, length), type, format) : null;
        }

        var resultFormats = ResultFormats(body.Slice(resultsAt, resultCount * 2), spare?.ResultFormats);
        if (spare is null)
        {
            return new PgPortal(statement, values, resultFormats);
        }

        spare.Reset(statement, values, resultFormats);
        return spare;
    }

    private static short ReadInt16(ReadOnlySpan<byte> body, int at) => BinaryPrimitives.ReadInt16BigEndian(body[at..]);

    /// <summary>The result formats as an array: shared ones for the usual all-text or all-binary, else the previous array when equal.</summary>
    private static short[] ResultFormats(ReadOnlySpan<byte> encoded, short[]? previous)
    {
        if (encoded.Length == 0)
        {
            return TextFormats;
        }

        if (encoded.Length == 2)
        {
            return ReadInt16(encoded, 0) == 0 ? SingleTextFormat : SingleBinaryFormat;
        }

        var formats = previous is not null && previous.Length * 2 == encoded.Length ? previous : new short[encoded.Length / 2];
        for (var i = 0; i < formats.Length; i++)
        {
            formats[i] = ReadInt16(encoded, 2 * i);
        }

        return formats;
    }

    /// <summary>The statement a Bind names, looked up by string only when it is not the one bound last.</summary>
    private PgStatement FindStatement(ReadOnlySpan<byte> name)
    {
        if (_lastBound is { } last && name.SequenceEqual(_lastBoundName))
        {
            return last;
        }

        var text = name.IsEmpty ? "" : Encoding.UTF8.GetString(name);
        if (!_statements.TryGetValue(text, out var statement))
        {
            throw new PgProtocolException("26000", $"prepared statement \"{text}\" does not exist");
        }

        _lastBound = statement;
        _lastBoundName = name.ToArray();
        return statement;
    }

    /// <summary>Forgets the remembered Bind target; called whenever a statement is defined or removed.</summary>
    private void StatementsChanged() => _lastBound = null;

    private void HandleDescribe()
    {
        var target = TargetMessage.TryDecode(_body.AsSpan(0, _bodyLength)) ?? throw Malformed("Describe");
        if (target.Kind == (byte)'S')
        {
            if (!_statements.TryGetValue(target.Name, out var statement))
            {
                throw new PgProtocolException("26000", $"prepared statement \"{target.Name}\" does not exist");
            }

            Span<int> oids = stackalloc int[statement.ParameterTypes.Count];
            for (var i = 0; i < oids.Length; i++)
            {
                var type = statement.ParameterTypes[i];
                oids[i] = (int)(type.Kind == SqlTypeKind.Unknown ? SqlType.Text : type).Oid;
            }

            _output.ParameterDescription(oids);
            DescribeRows(statement.Prepared, TextFormats);
            return;
        }

        if (!_portals.TryGetValue(target.Name, out var portal))
        {
            throw new PgProtocolException("34000", $"portal \"{target.Name}\" does not exist");
        }

        DescribeRows(portal.Statement.Prepared, portal.ResultFormats);
    }

    private void DescribeRows(PreparedStatement? prepared, short[] formats)
    {
        if (prepared is null || prepared.Columns.Count == 0)
        {
            _output.EmptyMessage((byte)'n');
        }
        else
        {
            _output.RowDescription(Describe(prepared.Columns, formats));
        }
    }

    private async Task HandleExecuteAsync(CancellationToken query, CancellationToken closed)
    {
        var (portalName, maxRows) = DecodeExecute();
        if (!_portals.TryGetValue(portalName, out var portal))
        {
            throw new PgProtocolException("34000", $"portal \"{portalName}\" does not exist");
        }

        if (portal.Statement.Prepared is not { } prepared)
        {
            _output.EmptyMessage((byte)'I');
            return;
        }

        if (portal.Result is null)
        {
            if (portal.Done)
            {
                // A finished portal returns nothing more.
                _output.CommandComplete(portal.Tag ?? "SELECT 0");
                return;
            }

            portal.Result = await _sql!.ExecuteAsync(prepared, portal.Parameters, query);
            SendNotices(portal.Result);
            if (portal.Result.CopyIn is not null || portal.Result.CopyOut is not null)
            {
                if (portal.Result.CopyIn is { } copyIn)
                {
                    portal.Tag = await CopyInAsync(copyIn, query, closed);
                }
                else
                {
                    await CopyOutAsync(portal.Result, portal.Result.CopyOut!, query, closed);
                    portal.Tag = portal.Result.CommandTag;
                }

                _output.CommandComplete(portal.Tag);
                await portal.FinishAsync();
                return;
            }

            // Rows computed already (a point lookup's) are read as they are; a stream through its enumerator.
            portal.Batches = portal.Result.Batches;
            portal.NextBatch = 0;
            portal.Rows = portal.Batches is null ? portal.Result.Rows?.GetAsyncEnumerator(query) : null;
        }

        var result = portal.Result;
        var limit = maxRows <= 0 ? long.MaxValue : maxRows;
        long sent = 0;
        while (portal.HasRows && sent < limit)
        {
            if (portal.Batch is not { } batch || portal.Offset >= batch.RowCount)
            {
                if (!await portal.MoveNextBatchAsync())
                {
                    break;
                }

                continue;
            }

            var take = (int)Math.Min(batch.RowCount - portal.Offset, limit - sent);
            WriteRows(result.Columns, batch, portal.Offset, portal.Offset + take, portal.ResultFormats);
            portal.Offset += take;
            sent += take;
            if (_output.Length > 256 << 10)
            {
                await FlushAsync(closed);
            }
        }

        if (sent == limit && portal.HasRows && await HasMoreRowsAsync(portal))
        {
            _output.EmptyMessage((byte)'s');
            return;
        }

        portal.Tag = result.CommandTag;
        _output.CommandComplete(portal.Tag);
        await portal.FinishAsync();
    }

    /// <summary>Execute's portal name and row limit (the checks of <see cref="ExecuteMessage.TryDecode"/>); the unnamed portal makes no string.</summary>
    private (string PortalName, int MaxRows) DecodeExecute()
    {
        var reader = new PgBodyReader(_body.AsSpan(0, _bodyLength));
        return reader.TryReadCStringBytes(out var name) && reader.TryReadInt32(out var maxRows) && maxRows >= 0 && reader.Remaining == 0
            ? (name.IsEmpty ? "" : Encoding.UTF8.GetString(name), maxRows)
            : throw Malformed("Execute");
    }

    private static async Task<bool> HasMoreRowsAsync(PgPortal portal)
    {
        while (portal.Batch is not { } batch || portal.Offset >= batch.RowCount)
        {
            if (!await portal.MoveNextBatchAsync())
            {
                return false;
            }
        }

        return true;
    }

    private async Task HandleCloseAsync()
    {
        var target = TargetMessage.TryDecode(_body.AsSpan(0, _bodyLength)) ?? throw Malformed("Close");
        if (target.Kind == (byte)'S')
        {
            if (_statements.Remove(target.Name, out var statement))
            {
                StatementsChanged();
                // Closing a statement closes the portals made from it. By reference: statements of the same text
                // share a cached plan, so two of them compare equal as records.
                foreach (var (name, portal) in _portals.ToArray())
                {
                    if (ReferenceEquals(portal.Statement, statement))
                    {
                        await ClosePortalAsync(name);
                    }
                }
            }
        }
        else
        {
            await ClosePortalAsync(target.Name);
        }

        _output.EmptyMessage((byte)'3');
    }

    private async Task ClosePortalAsync(string name)
    {
        if (_portals.Remove(name, out var portal))
        {
            await portal.FinishAsync();

            // Nothing refers to a closed portal: the next unnamed Bind fills it in again.
            if (name.Length == 0)
            {
                _sparePortal = portal;
            }
        }
    }

    private async Task ClosePortalsAsync()
    {
        // One at a time without copying the keys: every Sync outside a block comes here.
        while (_portals.Count > 0)
        {
            string? first = null;
            foreach (var name in _portals.Keys)
            {
                first = name;
                break;
            }

            await ClosePortalAsync(first!);
        }
    }

    private static PgProtocolException Malformed(string message) =>
        new(PgSqlState.ProtocolViolation, $"invalid {message} message");

    /// <summary>A parsed statement: null <see cref="Prepared"/> for the empty query.</summary>
    private sealed record PgStatement(PreparedStatement? Prepared, IReadOnlyList<SqlType> ParameterTypes);

    /// <summary>A bound statement and, once executed, where its row stream stands.</summary>
    private sealed class PgPortal(PgStatement statement, object?[] parameters, short[] resultFormats)
    {
        public PgStatement Statement { get; private set; } = statement;

        public object?[] Parameters { get; private set; } = parameters;

        public short[] ResultFormats { get; private set; } = resultFormats;

        public StatementResult? Result { get; set; }

        public IAsyncEnumerator<ResultBatch>? Rows { get; set; }

        /// <summary>The result's materialised batches when it has them (then <see cref="Rows"/> stays null).</summary>
        public IReadOnlyList<ResultBatch>? Batches { get; set; }

        /// <summary>The next of <see cref="Batches"/> to send.</summary>
        public int NextBatch { get; set; }

        public ResultBatch? Batch { get; set; }

        /// <summary>Whether the portal has a row source (stream or batches) left to read.</summary>
        public bool HasRows => Rows is not null || Batches is not null;

        /// <summary>Moves <see cref="Batch"/> to the next batch; false at the end of the rows.</summary>
        public async ValueTask<bool> MoveNextBatchAsync()
        {
            Offset = 0;
            if (Batches is { } batches)
            {
                if (NextBatch >= batches.Count)
                {
                    return false;
                }

                Batch = batches[NextBatch++];
                return true;
            }

            if (Rows is null || !await Rows.MoveNextAsync())
            {
                return false;
            }

            Batch = Rows.Current;
            return true;
        }

        public int Offset { get; set; }

        public bool Done { get; private set; }

        public string? Tag { get; set; }

        /// <summary>Binds a closed portal again, as if new.</summary>
        public void Reset(PgStatement statement, object?[] parameters, short[] resultFormats)
        {
            Statement = statement;
            Parameters = parameters;
            ResultFormats = resultFormats;
            Result = null;
            Rows = null;
            Batches = null;
            NextBatch = 0;
            Batch = null;
            Offset = 0;
            Done = false;
            Tag = null;
        }

        public async Task FinishAsync()
        {
            if (Rows is not null)
            {
                await Rows.DisposeAsync();
                Rows = null;
            }

            if (Result is not null)
            {
                await Result.DisposeAsync();
                Result = null;
            }

            Batches = null;
            Batch = null;

            Done = true;
        }
    }
}
