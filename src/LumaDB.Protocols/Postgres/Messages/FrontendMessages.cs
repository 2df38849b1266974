namespace LumaDB.Protocols.Postgres.Messages;

/// <summary>Frontend message type bytes after startup.</summary>
public static class FrontendMessageType
{
    /// <summary>Bind.</summary>
    public const byte Bind = (byte)'B';

    /// <summary>Close a statement or portal.</summary>
    public const byte Close = (byte)'C';

    /// <summary>CopyData.</summary>
    public const byte CopyData = (byte)'d';

    /// <summary>CopyDone.</summary>
    public const byte CopyDone = (byte)'c';

    /// <summary>CopyFail.</summary>
    public const byte CopyFail = (byte)'f';

    /// <summary>Describe a statement or portal.</summary>
    public const byte Describe = (byte)'D';

    /// <summary>Execute a portal.</summary>
    public const byte Execute = (byte)'E';

    /// <summary>Flush.</summary>
    public const byte Flush = (byte)'H';

    /// <summary>FunctionCall (not supported).</summary>
    public const byte FunctionCall = (byte)'F';

    /// <summary>Parse.</summary>
    public const byte Parse = (byte)'P';

    /// <summary>PasswordMessage, SASLInitialResponse or SASLResponse, told apart by the auth state.</summary>
    public const byte Password = (byte)'p';

    /// <summary>Simple Query.</summary>
    public const byte Query = (byte)'Q';

    /// <summary>Sync.</summary>
    public const byte Sync = (byte)'S';

    /// <summary>Terminate.</summary>
    public const byte Terminate = (byte)'X';
}

/// <summary>A Parse message: a statement name, its SQL and the parameter type OIDs the client fixed (0 = infer).</summary>
public sealed record ParseMessage(string StatementName, string Sql, int[] ParameterTypes)
{
    /// <summary>Decodes a Parse body.</summary>
    public static ParseMessage? TryDecode(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        if (!reader.TryReadCString(out var name) || !reader.TryReadCString(out var sql) || !reader.TryReadInt16(out var count) || count < 0)
        {
            return null;
        }

        var types = new int[count];
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadInt32(out types[i]))
            {
                return null;
            }
        }

        return reader.Remaining == 0 ? new ParseMessage(name, sql, types) : null;
    }
}

/// <summary>
/// A Bind message. Parameter values stay as ranges of the body, which the caller keeps alive while it binds them;
/// a null parameter has length -1.
/// </summary>
public sealed record BindMessage(string PortalName, string StatementName, short[] ParameterFormats, (int Offset, int Length)[] Parameters, short[] ResultFormats)
{
    /// <summary>Decodes a Bind body.</summary>
    public static BindMessage? TryDecode(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        if (!reader.TryReadCString(out var portal) || !reader.TryReadCString(out var statement))
        {
            return null;
        }

        if (!TryReadShorts(ref reader, out var formats) || !reader.TryReadInt16(out var parameterCount) || parameterCount < 0)
        {
            return null;
        }

        var parameters = new (int, int)[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            if (!reader.TryReadInt32(out var length) || length < -1)
            {
                return null;
            }

            if (length == -1)
            {
                parameters[i] = (0, -1);
            }
            else if (reader.TrySkip(length, out var start))
            {
                parameters[i] = (start, length);
            }
            else
            {
                return null;
            }
        }

        if (!TryReadShorts(ref reader, out var resultFormats) || reader.Remaining != 0)
        {
            return null;
        }

        // Formats: none = all text, one = applies to all, else one per parameter.
        if (formats.Length > 1 && formats.Length != parameterCount)
        {
            return null;
        }

        return new BindMessage(portal, statement, formats, parameters, resultFormats);
    }

    /// <summary>The format (0 text, 1 binary) of parameter <paramref name="index"/>.</summary>
    public short ParameterFormat(int index) => ParameterFormats.Length switch
    {
        0 => 0,
        1 => ParameterFormats[0],
        _ => ParameterFormats[index],
    };

    private static bool TryReadShorts(ref PgBodyReader reader, out short[] values)
    {
        values = [];
        if (!reader.TryReadInt16(out var count) || count < 0)
        {
            return false;
        }

        values = new short[count];
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadInt16(out values[i]) || values[i] is not (0 or 1))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Describe or Close: a target kind ('S' statement, 'P' portal) and a name.</summary>
public sealed record TargetMessage(byte Kind, string Name)
{
    /// <summary>Decodes a Describe or Close body.</summary>
    public static TargetMessage? TryDecode(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        return reader.TryReadByte(out var kind) && kind is (byte)'S' or (byte)'P' && reader.TryReadCString(out var name) && reader.Remaining == 0
            ? new TargetMessage(kind, name)
            : null;
    }
}

/// <summary>Execute: a portal and a row limit (0 = all rows).</summary>
public sealed record ExecuteMessage(string PortalName, int MaxRows)
{
    /// <summary>Decodes an Execute body.</summary>
    public static ExecuteMessage? TryDecode(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        return reader.TryReadCString(out var portal) && reader.TryReadInt32(out var maxRows) && maxRows >= 0 && reader.Remaining == 0
            ? new ExecuteMessage(portal, maxRows)
            : null;
    }
}

/// <summary>SASLInitialResponse: the chosen mechanism and the client-first message.</summary>
public sealed record SaslInitialResponse(string Mechanism, byte[] Data)
{
    /// <summary>Decodes the body of a 'p' message sent as SASLInitialResponse.</summary>
    public static SaslInitialResponse? TryDecode(ReadOnlySpan<byte> body)
    {
        var reader = new PgBodyReader(body);
        if (!reader.TryReadCString(out var mechanism) || !reader.TryReadInt32(out var length))
        {
            return null;
        }

        if (length == -1)
        {
            return reader.Remaining == 0 ? new SaslInitialResponse(mechanism, []) : null;
        }

        return reader.TrySkip(length, out var start) && reader.Remaining == 0
            ? new SaslInitialResponse(mechanism, body.Slice(start, length).ToArray())
            : null;
    }
}
