using System.Globalization;
using System.Text;

namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>The backend messages, each written in place.</summary>
public sealed partial class PgOutputBuffer
{
    /// <summary>AuthenticationOk.</summary>
    public void AuthenticationOk() => Authentication(0, default);

    /// <summary>AuthenticationCleartextPassword.</summary>
    public void AuthenticationCleartextPassword() => Authentication(3, default);

    /// <summary>AuthenticationMD5Password with its 4-byte salt.</summary>
    public void AuthenticationMd5Password(ReadOnlySpan<byte> salt) => Authentication(5, salt);

    /// <summary>AuthenticationSASL listing the mechanisms offered.</summary>
    public void AuthenticationSasl(params ReadOnlySpan<string> mechanisms)
    {
        BeginMessage((byte)'R');
        WriteInt32(10);
        foreach (var mechanism in mechanisms)
        {
            WriteCString(mechanism);
        }

        WriteByte(0);
        EndMessage();
    }

    /// <summary>AuthenticationSASLContinue carrying the server-first message.</summary>
    public void AuthenticationSaslContinue(string data) => Authentication(11, Encoding.UTF8.GetBytes(data));

    /// <summary>AuthenticationSASLFinal carrying the server-final message.</summary>
    public void AuthenticationSaslFinal(string data) => Authentication(12, Encoding.UTF8.GetBytes(data));

    /// <summary>ParameterStatus.</summary>
    public void ParameterStatus(string name, string value)
    {
        BeginMessage((byte)'S');
        WriteCString(name);
        WriteCString(value);
        EndMessage();
    }

    /// <summary>BackendKeyData: the process id and secret that a CancelRequest must quote.</summary>
    public void BackendKeyData(int processId, int secretKey)
    {
        BeginMessage((byte)'K');
        WriteInt32(processId);
        WriteInt32(secretKey);
        EndMessage();
    }

    /// <summary>ReadyForQuery with the transaction status: 'I' idle, 'T' in a transaction, 'E' in a failed one.</summary>
    public void ReadyForQuery(byte transactionStatus)
    {
        BeginMessage((byte)'Z');
        WriteByte(transactionStatus);
        EndMessage();
    }

    /// <summary>CommandComplete with its tag, e.g. <c>SELECT 3</c> or <c>INSERT 0 1</c>.</summary>
    public void CommandComplete(string tag)
    {
        BeginMessage((byte)'C');
        WriteCString(tag);
        EndMessage();
    }

    /// <summary>
    /// A message with no body: ParseComplete '1', BindComplete '2', CloseComplete '3', NoData 'n',
    /// PortalSuspended 's', EmptyQueryResponse 'I', CopyDone 'c'.
    /// </summary>
    public void EmptyMessage(byte type)
    {
        BeginMessage(type);
        EndMessage();
    }

    /// <summary>ParameterDescription: the type OIDs of a statement's parameters.</summary>
    public void ParameterDescription(ReadOnlySpan<int> typeOids)
    {
        BeginMessage((byte)'t');
        WriteInt16((short)typeOids.Length);
        foreach (var oid in typeOids)
        {
            WriteInt32(oid);
        }

        EndMessage();
    }

    /// <summary>RowDescription.</summary>
    public void RowDescription(ReadOnlySpan<PgColumn> columns)
    {
        BeginMessage((byte)'T');
        WriteInt16((short)columns.Length);
        foreach (var column in columns)
        {
            WriteCString(column.Name);
            WriteInt32(column.TableOid);
            WriteInt16(column.ColumnNumber);
            WriteInt32(column.TypeOid);
            WriteInt16(column.TypeSize);
            WriteInt32(column.TypeModifier);
            WriteInt16(column.Format);
        }

        EndMessage();
    }

    /// <summary>Starts a DataRow; write each value with <see cref="WriteValue"/> or <see cref="WriteNull"/>, then <see cref="EndMessage"/>.</summary>
    public void BeginDataRow(int columnCount)
    {
        BeginMessage((byte)'D');
        WriteInt16((short)columnCount);
    }

    /// <summary>A NULL value in a DataRow.</summary>
    public void WriteNull() => WriteInt32(-1);

    /// <summary>A value in a DataRow: its length, then its bytes.</summary>
    public void WriteValue(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteBytes(value);
    }

    /// <summary>ErrorResponse ('E') or NoticeResponse ('N') with the standard fields.</summary>
    public void ErrorOrNotice(byte type, PgError error)
    {
        BeginMessage(type);
        Field((byte)'S', error.Severity);
        Field((byte)'V', error.Severity);
        Field((byte)'C', error.SqlState);
        Field((byte)'M', error.Message);
        if (error.Detail is { } detail)
        {
            Field((byte)'D', detail);
        }

        if (error.Hint is { } hint)
        {
            Field((byte)'H', hint);
        }

        if (error.Position is { } position)
        {
            Field((byte)'P', position.ToString(CultureInfo.InvariantCulture));
        }

        if (error.Where is { } where)
        {
            Field((byte)'W', where);
        }

        // Constraint violations name their objects, as PostgreSQL's do, for drivers that map them.
        if (error.Schema is { } schema)
        {
            Field((byte)'s', schema);
        }

        if (error.Table is { } table)
        {
            Field((byte)'t', table);
        }

        if (error.Column is { } column)
        {
            Field((byte)'c', column);
        }

        if (error.Constraint is { } constraint)
        {
            Field((byte)'n', constraint);
        }

        WriteByte(0);
        EndMessage();
    }

    private void Authentication(int code, ReadOnlySpan<byte> data)
    {
        BeginMessage((byte)'R');
        WriteInt32(code);
        WriteBytes(data);
        EndMessage();
    }

    private void Field(byte code, string value)
    {
        WriteByte(code);
        WriteCString(value);
    }
}

/// <summary>One column of a RowDescription.</summary>
public readonly record struct PgColumn(string Name, int TypeOid, short TypeSize, int TypeModifier = -1, short Format = 0, int TableOid = 0, short ColumnNumber = 0);

/// <summary>An error or notice as the wire carries it.</summary>
public sealed record PgError(string Severity, string SqlState, string Message)
{
    /// <summary>Optional detail.</summary>
    public string? Detail { get; init; }

    /// <summary>Optional hint.</summary>
    public string? Hint { get; init; }

    /// <summary>1-based character position in the query text.</summary>
    public int? Position { get; init; }

    /// <summary>Optional context (where the error happened, e.g. <c>COPY t, line 3</c>).</summary>
    public string? Where { get; init; }

    /// <summary>Schema of the table a constraint violation is on.</summary>
    public string? Schema { get; init; }

    /// <summary>Table a constraint violation is on.</summary>
    public string? Table { get; init; }

    /// <summary>Column a NOT NULL violation is on.</summary>
    public string? Column { get; init; }

    /// <summary>Name of the violated constraint.</summary>
    public string? Constraint { get; init; }
}
