using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace LumaDB.Server.Tests.Infrastructure;

/// <summary>A minimal PostgreSQL frontend over a raw socket, for protocol cases client libraries never send.</summary>
public sealed class PgWireClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private PgWireClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _stream.ReadTimeout = 10_000;
    }

    /// <summary>Connects and logs in (trust from loopback), reading up to the first ReadyForQuery.</summary>
    public static async Task<PgWireClient> ConnectAsync(int port, string user = "luma")
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var client = new PgWireClient(tcp);
        var body = new List<byte>();
        body.AddRange(Int32(196608));
        foreach (var s in new[] { "user", user, "database", "luma" })
        {
            body.AddRange(CString(s));
        }

        body.Add(0);
        await client.SendRawAsync([.. Int32(body.Count + 4), .. body]);
        var startup = await client.ReadUntilAsync('Z');
        if (startup.Any(m => m.Type == 'E'))
        {
            throw new InvalidOperationException("login failed: " + startup.First(m => m.Type == 'E').Text);
        }

        return client;
    }

    /// <summary>Sends raw bytes.</summary>
    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends one typed message.</summary>
    public Task SendAsync(char type, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        return SendRawAsync([(byte)type, .. Int32(body.Length + 4), .. body]);
    }

    /// <summary>Parse(name, sql, parameter OIDs).</summary>
    public Task ParseAsync(string name, string sql, params int[] oids) =>
        SendAsync('P', CString(name), CString(sql), Int16((short)oids.Length), oids.SelectMany(Int32).ToArray());

    /// <summary>Bind with text parameters (null for NULL) and one result format for all columns.</summary>
    public Task BindAsync(string portal, string statement, string?[] parameters, short resultFormat = 0)
    {
        var values = parameters.SelectMany(p => p is null ? Int32(-1) : [.. Int32(Encoding.UTF8.GetByteCount(p)), .. Encoding.UTF8.GetBytes(p)]).ToArray();
        return SendAsync('B', CString(portal), CString(statement), Int16(0), Int16((short)parameters.Length), values, Int16(1), Int16(resultFormat));
    }

    /// <summary>Describe ('S' or 'P').</summary>
    public Task DescribeAsync(char kind, string name) => SendAsync('D', [(byte)kind], CString(name));

    /// <summary>Execute with a row limit (0 = all).</summary>
    public Task ExecuteAsync(string portal, int maxRows = 0) => SendAsync('E', CString(portal), Int32(maxRows));

    /// <summary>Sync.</summary>
    public Task SyncAsync() => SendAsync('S');

    /// <summary>Simple query.</summary>
    public Task QueryAsync(string sql) => SendAsync('Q', CString(sql));

    /// <summary>Reads messages up to and including the first of type <paramref name="last"/>.</summary>
    public async Task<List<BackendMessage>> ReadUntilAsync(char last)
    {
        var messages = new List<BackendMessage>();
        while (true)
        {
            var message = await ReadAsync() ?? throw new EndOfStreamException("connection closed after " + string.Join(",", messages.Select(m => m.Type)));
            messages.Add(message);
            if (message.Type == last)
            {
                return messages;
            }
        }
    }

    /// <summary>Reads one message; null when the server closed the connection.</summary>
    public async Task<BackendMessage?> ReadAsync()
    {
        var header = new byte[5];
        if (!await ReadExactlyAsync(header))
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
        if (!await ReadExactlyAsync(body))
        {
            return null;
        }

        return new BackendMessage((char)header[0], body);
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>Big-endian int32.</summary>
    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Big-endian int16.</summary>
    public static byte[] Int16(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>NUL-terminated UTF-8.</summary>
    public static byte[] CString(string value) => [.. Encoding.UTF8.GetBytes(value), 0];

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A backend message: its type byte and body.</summary>
public sealed record BackendMessage(char Type, byte[] Body)
{
    /// <summary>Error/notice fields by code.</summary>
    public Dictionary<char, string> Fields
    {
        get
        {
            var fields = new Dictionary<char, string>();
            var i = 0;
            while (i < Body.Length && Body[i] != 0)
            {
                var code = (char)Body[i++];
                var end = Array.IndexOf(Body, (byte)0, i);
                fields[code] = Encoding.UTF8.GetString(Body, i, end - i);
                i = end + 1;
            }

            return fields;
        }
    }

    /// <summary>A readable form: the error message, the tag, or the data row's text values.</summary>
    public string Text => Type switch
    {
        'E' or 'N' => Fields['C'] + " " + Fields['M'],
        'C' => Encoding.UTF8.GetString(Body, 0, Body.Length - 1),
        'D' => string.Join("|", DataRow()),
        'Z' => ((char)Body[0]).ToString(),
        _ => Type.ToString(),
    };

    /// <summary>A DataRow's values as text (null for NULL).</summary>
    public IReadOnlyList<string?> DataRow()
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(Body);
        var values = new List<string?>();
        var i = 2;
        for (var c = 0; c < count; c++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(Body.AsSpan(i));
            i += 4;
            values.Add(length < 0 ? null : Encoding.UTF8.GetString(Body, i, length));
            i += Math.Max(length, 0);
        }

        return values;
    }

    /// <summary>A ParameterDescription's OIDs.</summary>
    public IReadOnlyList<int> ParameterOids()
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(Body);
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt32BigEndian(Body.AsSpan(2 + (i * 4)))).ToArray();
    }

    /// <summary>A RowDescription's (name, type OID) pairs.</summary>
    public IReadOnlyList<(string Name, int Oid)> Columns()
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(Body);
        var columns = new List<(string, int)>();
        var i = 2;
        for (var c = 0; c < count; c++)
        {
            var end = Array.IndexOf(Body, (byte)0, i);
            var name = Encoding.UTF8.GetString(Body, i, end - i);
            i = end + 1;
            columns.Add((name, BinaryPrimitives.ReadInt32BigEndian(Body.AsSpan(i + 6))));
            i += 18;
        }

        return columns;
    }
}
