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
        _output.EmptyMessage((byte)'1');
    }

    private static bool IsEmptyQuery(string sql) => SqlParser.TryParseScript(sql, out var script, out _) && script.Statements.Count == 0;

    private async Task HandleBindAsync()
    {
        var body = _body.AsSpan(0, _bodyLength);
        var bind = BindMessage.TryDecode(body) ?? throw Malformed("Bind");
        if (!_statements.TryGetValue(bind.StatementName, out var statement))
        {
            throw new PgProtocolException("26000", $"prepared statement \"{bind.StatementName}\" does not exist");
        }

        if (bind.Parameters.Length != statement.ParameterTypes.Count)
        {
            throw new PgProtocolException(PgSqlState.ProtocolViolation, $"bind message supplies {bind.Parameters.Length} parameters, but prepared statement \"{bind.StatementName}\" requires {statement.ParameterTypes.Count}");
        }

        var columns = statement.Prepared?.Columns ?? [];
        if (bind.ResultFormats.Length > 1 && bind.ResultFormats.Length != columns.Count)
        {
            throw new PgProtocolException(PgSqlState.ProtocolViolation, $"bind message has {bind.ResultFormats.Length} result formats but query has {columns.Count} columns");
        }

        var values = new object?[bind.Parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var (offset, length) = bind.Parameters[i];
            if (length >= 0)
            {
                var type = statement.ParameterTypes[i].Kind == SqlTypeKind.Unknown ? SqlType.Text : statement.ParameterTypes[i];
                values[i] = PgValueCodec.Read(body.Slice(offset, length), type, bind.ParameterFormat(i));
            }
        }

        if (bind.PortalName.Length > 0 && _portals.ContainsKey(bind.PortalName))
        {
            throw new PgProtocolException("42P03", $"cursor \"{bind.PortalName}\" already exists");
        }

        await ClosePortalAsync(bind.PortalName);
        _portals[bind.PortalName] = new PgPortal(statement, values, bind.ResultFormats);
        _output.EmptyMessage((byte)'2');
    }

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
        var execute = ExecuteMessage.TryDecode(_body.AsSpan(0, _bodyLength)) ?? throw Malformed("Execute");
        if (!_portals.TryGetValue(execute.PortalName, out var portal))
        {
            throw new PgProtocolException("34000", $"portal \"{execute.PortalName}\" does not exist");
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

            portal.Rows = portal.Result.Rows?.GetAsyncEnumerator(query);
        }

        var result = portal.Result;
        var limit = execute.MaxRows <= 0 ? long.MaxValue : execute.MaxRows;
        long sent = 0;
        while (portal.Rows is not null && sent < limit)
        {
            if (portal.Batch is not { } batch || portal.Offset >= batch.RowCount)
            {
                if (!await portal.Rows.MoveNextAsync())
                {
                    break;
                }

                portal.Batch = portal.Rows.Current;
                portal.Offset = 0;
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

        if (sent == limit && portal.Rows is not null && await HasMoreRowsAsync(portal))
        {
            _output.EmptyMessage((byte)'s');
            return;
        }

        portal.Tag = result.CommandTag;
        _output.CommandComplete(portal.Tag);
        await portal.FinishAsync();
    }

    private static async Task<bool> HasMoreRowsAsync(PgPortal portal)
    {
        while (portal.Batch is not { } batch || portal.Offset >= batch.RowCount)
        {
            if (!await portal.Rows!.MoveNextAsync())
            {
                return false;
            }

            portal.Batch = portal.Rows.Current;
            portal.Offset = 0;
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
                // Closing a statement closes the portals made from it.
                foreach (var (name, portal) in _portals.ToArray())
                {
                    if (portal.Statement == statement)
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
        public PgStatement Statement { get; } = statement;

        public object?[] Parameters { get; } = parameters;

        public short[] ResultFormats { get; } = resultFormats;

        public StatementResult? Result { get; set; }

        public IAsyncEnumerator<ResultBatch>? Rows { get; set; }

        public ResultBatch? Batch { get; set; }

        public int Offset { get; set; }

        public bool Done { get; private set; }

        public string? Tag { get; set; }

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

            Done = true;
        }
    }
}
