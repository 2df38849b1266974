using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using LumaDB.Protocols.Postgres.Types;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres.Copy;

/// <summary>
/// Turns the byte stream of a COPY FROM STDIN into rows of values, whatever the CopyData message boundaries:
/// bytes are appended as they arrive and every complete row (a text or CSV line, a binary tuple) is decoded;
/// an incomplete tail waits for the next message. Errors are SQLSTATE 22P04 (bad format) or the type's input
/// error, with the CONTEXT <c>COPY t, line N[, column c: "value"]</c>.
/// </summary>
public sealed class CopyInDecoder : IDisposable
{
    /// <summary>The binary format's signature: <c>PGCOPY\n\377\r\n\0</c>.</summary>
    internal static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private readonly ICopyIn _sink;
    private readonly CopyOptions _options;
    private readonly SqlType[] _types;
    private readonly byte[] _null;
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly byte _escape;
    private readonly List<Range> _fields = [];
    private readonly List<bool> _quoted = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(1024);
    private int _start;
    private int _end;
    private long _line;
    private bool _headerDone;
    private bool _ended;

    /// <summary>Creates a decoder for the sink's columns and options.</summary>
    public CopyInDecoder(ICopyIn sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _options = sink.Options;
        _types = sink.Columns.Select(c => c.Type).ToArray();
        _null = Encoding.UTF8.GetBytes(_options.Null);
        _delimiter = (byte)_options.Delimiter;
        _quote = (byte)_options.Quote;
        _escape = (byte)_options.Escape;
        _headerDone = !_options.Header && !_options.IsBinary;
    }

    /// <summary>Rows decoded so far (data lines or tuples, the header not counted).</summary>
    public long Rows { get; private set; }

    /// <summary>Adds the next piece of data.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (_ended)
        {
            return;
        }

        if (_end + data.Length > _buffer.Length)
        {
            var live = _end - _start;
            if (live + data.Length > _buffer.Length || _start == 0)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, live + data.Length));
                _buffer.AsSpan(_start, live).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            else
            {
                _buffer.AsSpan(_start, live).CopyTo(_buffer);
            }

            _start = 0;
            _end = live;
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Decodes the complete rows now buffered into <paramref name="rows"/> (and their first lines into <paramref name="lines"/>).</summary>
    /// <param name="rows">Receives the rows.</param>
    /// <param name="lines">Receives each row's input line (tuple number in binary).</param>
    /// <param name="final">True once the client sent CopyDone: a last line without a newline is a row too.</param>
    public void Decode(List<object?[]> rows, List<long> lines, bool final)
    {
        while (!_ended)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            int consumed;
            if (_options.IsBinary)
            {
                consumed = DecodeBinary(available, rows, lines);
            }
            else
            {
                consumed = _options.Format == CopyFormat.Csv ? ScanCsv(available, final) : ScanText(available, final);
                if (consumed > 0)
                {
                    DecodeLine(available[..consumed], rows, lines);
                }
            }

            if (consumed == 0)
            {
                break;
            }

            _start += consumed;
        }

        if (final && !_ended && _options.IsBinary && _end > _start)
        {
            throw Bad("unexpected EOF in COPY data");
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_scratch);
        _buffer = _scratch = [];
    }

    /// <summary>Text format: one line up to '\n'; backslash escapes keep any byte from ending the line early.</summary>
    private static int ScanText(ReadOnlySpan<byte> data, bool final)
    {
        var newline = data.IndexOf((byte)'\n');
        return newline >= 0 ? newline + 1 : final ? data.Length : 0;
    }

    /// <summary>CSV: a record ends at a newline outside quotes.</summary>
    private int ScanCsv(ReadOnlySpan<byte> data, bool final)
    {
        var inQuotes = false;
        var fieldStart = true;
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            if (inQuotes)
            {
                if (b == _escape && _escape != _quote && i + 1 < data.Length && (data[i + 1] == _quote || data[i + 1] == _escape))
                {
                    i++;
                }
                else if (b == _quote)
                {
                    if (_escape == _quote && i + 1 < data.Length && data[i + 1] == _quote)
                    {
                        i++;
                    }
                    else if (_escape == _quote && i + 1 == data.Length && !final)
                    {
                        // A quote at the end of the buffer may be the first of a doubled pair.
                        return 0;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }

                continue;
            }

            if (b == (byte)'\n')
            {
                return i + 1;
            }

            if (b == _quote && fieldStart)
            {
                inQuotes = true;
            }

            fieldStart = b == _delimiter;
        }

        if (final)
        {
            if (inQuotes && data.Length > 0)
            {
                _line++;
                throw Bad("unterminated CSV quoted field");
            }

            return data.Length;
        }

        return 0;
    }

    private void DecodeLine(ReadOnlySpan<byte> line, List<object?[]> rows, List<long> lines)
    {
        var first = ++_line;
        _line += CountNewlines(line) - (line.Length > 0 && line[^1] == (byte)'\n' ? 1 : 0);
        if (line.Length > 0 && line[^1] == (byte)'\n')
        {
            line = line[..^1];
        }

        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.SequenceEqual("\\."u8))
        {
            _ended = true;
            return;
        }

        if (_options.Format == CopyFormat.Csv)
        {
            SplitCsv(line, first);
        }
        else
        {
            SplitText(line);
        }

        if (!_headerDone)
        {
            _headerDone = true;
            CheckHeader(line, first);
            return;
        }

        if (_fields.Count > _types.Length)
        {
            throw Bad("extra data after last expected column", first, line);
        }

        if (_fields.Count < _types.Length)
        {
            throw Bad($"missing data for column \"{_sink.Columns[_fields.Count].Name}\"", first, line);
        }

        var row = new object?[_types.Length];
        for (var c = 0; c < row.Length; c++)
        {
            row[c] = _options.Format == CopyFormat.Csv ? CsvValue(line, c, first) : TextValue(line, c, first);
        }

        rows.Add(row);
        lines.Add(first);
        Rows++;
    }

    private static int CountNewlines(ReadOnlySpan<byte> data) => data.Count((byte)'\n');

    private void SplitText(ReadOnlySpan<byte> line)
    {
        _fields.Clear();
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (b == (byte)'\\')
            {
                i++;
            }
            else if (b == _delimiter)
            {
                _fields.Add(start..i);
                start = i + 1;
            }
        }

        _fields.Add(start..line.Length);
    }

    private void SplitCsv(ReadOnlySpan<byte> line, long lineNumber)
    {
        _fields.Clear();
        _quoted.Clear();
        var i = 0;
        while (true)
        {
            var start = i;
            var quoted = false;
            var inQuotes = false;
            while (i < line.Length)
            {
                var b = line[i];
                if (inQuotes)
                {
                    if (b == _escape && i + 1 < line.Length && (line[i + 1] == _quote || line[i + 1] == _escape) && (_escape != _quote || line[i + 1] == _quote))
                    {
                        i += 2;
                        continue;
                    }

                    if (b == _quote)
                    {
                        inQuotes = false;
                    }
                }
                else if (b == _quote)
                {
                    inQuotes = quoted = true;
                }
                else if (b == _delimiter)
                {
                    break;
                }

                i++;
            }

            if (inQuotes)
            {
                throw Bad("unterminated CSV quoted field", lineNumber, line);
            }

            _fields.Add(start..i);
            _quoted.Add(quoted);
            if (i >= line.Length)
            {
                return;
            }

            i++;
        }
    }

    private object? TextValue(ReadOnlySpan<byte> line, int column, long lineNumber)
    {
        var raw = line[_fields[column]];
        if (raw.SequenceEqual(_null))
        {
            return null;
        }

        var value = raw.IndexOf((byte)'\\') < 0 ? raw : Unescape(raw);
        return Convert(value, column, lineNumber);
    }

    private object? CsvValue(ReadOnlySpan<byte> line, int column, long lineNumber)
    {
        var raw = line[_fields[column]];
        var quoted = _quoted[column];
        if (!quoted && raw.SequenceEqual(_null) && !_options.ForceNotNull[column])
        {
            return null;
        }

        ReadOnlySpan<byte> value = raw;
        if (quoted)
        {
            value = CsvUnquote(raw);
            if (_options.ForceNull[column] && value.SequenceEqual(_null))
            {
                return null;
            }
        }

        return Convert(value, column, lineNumber);
    }

    private ReadOnlySpan<byte> CsvUnquote(ReadOnlySpan<byte> raw)
    {
        EnsureScratch(raw.Length);
        var length = 0;
        var inQuotes = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (inQuotes)
            {
                if (b == _escape && i + 1 < raw.Length && (raw[i + 1] == _quote || raw[i + 1] == _escape) && (_escape != _quote || raw[i + 1] == _quote))
                {
                    _scratch[length++] = raw[++i];
                    continue;
                }

                if (b == _quote)
                {
                    inQuotes = false;
                    continue;
                }
            }
            else if (b == _quote)
            {
                inQuotes = true;
                continue;
            }

            _scratch[length++] = b;
        }

        return _scratch.AsSpan(0, length);
    }

    /// <summary>The text format's backslash escapes: \b \f \n \r \t \v, octal \ooo, hex \xhh, and any other character as itself.</summary>
    private ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw)
    {
        EnsureScratch(raw.Length);
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != (byte)'\\' || i + 1 >= raw.Length)
            {
                _scratch[length++] = b;
                continue;
            }

            var c = raw[++i];
            switch (c)
            {
                case (byte)'b': _scratch[length++] = 8; break;
                case (byte)'f': _scratch[length++] = 12; break;
                case (byte)'n': _scratch[length++] = 10; break;
                case (byte)'r': _scratch[length++] = 13; break;
                case (byte)'t': _scratch[length++] = 9; break;
                case (byte)'v': _scratch[length++] = 11; break;
                case >= (byte)'0' and <= (byte)'7':
                    {
                        var value = c - '0';
                        for (var k = 0; k < 2 && i + 1 < raw.Length && raw[i + 1] is >= (byte)'0' and <= (byte)'7'; k++)
                        {
                            value = (value * 8) + (raw[++i] - '0');
                        }

                        _scratch[length++] = (byte)value;
                        break;
                    }

                case (byte)'x' when i + 1 < raw.Length && IsHex(raw[i + 1]):
                    {
                        var value = HexValue(raw[++i]);
                        if (i + 1 < raw.Length && IsHex(raw[i + 1]))
                        {
                            value = (value * 16) + HexValue(raw[++i]);
                        }

                        _scratch[length++] = (byte)value;
                        break;
                    }

                default:
                    _scratch[length++] = c;
                    break;
            }
        }

        return _scratch.AsSpan(0, length);
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private void EnsureScratch(int length)
    {
        if (_scratch.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    /// <summary>A text value through the type's input function; integers and plain text skip the string round trip where they can.</summary>
    private object Convert(ReadOnlySpan<byte> value, int column, long lineNumber)
    {
        var type = _types[column];
        switch (type.Kind)
        {
            case SqlTypeKind.Int4 when Utf8Parser.TryParse(value, out int i4, out var n4) && n4 == value.Length:
                return i4;
            case SqlTypeKind.Int8 when Utf8Parser.TryParse(value, out long i8, out var n8) && n8 == value.Length:
                return i8;
            case SqlTypeKind.Int2 when Utf8Parser.TryParse(value, out short i2, out var n2) && n2 == value.Length:
                return i2;
        }

        try
        {
            return PgValueCodec.Read(value, type, 0);
        }
        catch (SqlException error)
        {
            var text = Encoding.UTF8.GetString(value);
            throw new SqlException(error.SqlState, error.Message, error.Hint, error.Detail)
            {
                Where = $"COPY {_sink.TableName}, line {lineNumber.ToString(CultureInfo.InvariantCulture)}, column {_sink.Columns[column].Name}: \"{text}\"",
            };
        }
    }

    private void CheckHeader(ReadOnlySpan<byte> line, long lineNumber)
    {
        if (!_options.HeaderMatch)
        {
            return;
        }

        if (_fields.Count != _types.Length)
        {
            throw Bad($"wrong number of fields in header line: got {_fields.Count}, expected {_types.Length}", lineNumber, line);
        }

        for (var c = 0; c < _types.Length; c++)
        {
            var raw = line[_fields[c]];
            var name = Encoding.UTF8.GetString(_options.Format == CopyFormat.Csv && _quoted[c] ? CsvUnquote(raw) : raw.IndexOf((byte)'\\') >= 0 ? Unescape(raw) : raw);
            if (name != _sink.Columns[c].Name)
            {
                throw Bad($"column name mismatch in header line field {c + 1}: got \"{name}\", expected \"{_sink.Columns[c].Name}\"", lineNumber, line);
            }
        }
    }

    /// <summary>Binary: the signature header once, then tuples until the -1 trailer. Returns the bytes used, 0 when a whole unit is not there yet.</summary>
    private int DecodeBinary(ReadOnlySpan<byte> data, List<object?[]> rows, List<long> lines)
    {
        if (!_headerDone)
        {
            if (data.Length < Signature.Length + 8)
            {
                return 0;
            }

            if (!data[..Signature.Length].SequenceEqual(Signature))
            {
                throw Bad("COPY file signature not recognized");
            }

            var flags = BinaryPrimitives.ReadInt32BigEndian(data[Signature.Length..]);
            if ((flags & 0x0001_0000) != 0)
            {
                throw Bad("invalid COPY file header (WITH OIDS)");
            }

            if ((flags & unchecked((int)0xFFFE_0000)) != 0)
            {
                throw Bad("unrecognized critical flags in COPY file header");
            }

            var extension = BinaryPrimitives.ReadInt32BigEndian(data[(Signature.Length + 4)..]);
            if (extension < 0)
            {
                throw Bad("invalid COPY file header (missing length)");
            }

            var headerLength = Signature.Length + 8 + extension;
            if (data.Length < headerLength)
            {
                return 0;
            }

            _headerDone = true;
            return headerLength;
        }

        if (data.Length < 2)
        {
            return 0;
        }

        var count = BinaryPrimitives.ReadInt16BigEndian(data);
        if (count == -1)
        {
            _ended = true;
            return 2;
        }

        var lineNumber = _line + 1;
        if (count != _types.Length)
        {
            _line++;
            throw Bad($"row field count is {count}, expected {_types.Length}");
        }

        // Check the whole tuple is here before decoding any of it.
        var position = 2;
        for (var c = 0; c < count; c++)
        {
            if (data.Length < position + 4)
            {
                return 0;
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            if (length < -1)
            {
                _line++;
                throw Bad("invalid field size");
            }

            position += 4 + Math.Max(length, 0);
            if (data.Length < position)
            {
                return 0;
            }
        }

        _line++;
        var row = new object?[count];
        position = 2;
        for (var c = 0; c < count; c++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data[position..]);
            position += 4;
            if (length < 0)
            {
                continue;
            }

            try
            {
                row[c] = PgValueCodec.Read(data.Slice(position, length), _types[c], 1);
            }
            catch (SqlException error)
            {
                throw new SqlException(error.SqlState, error.Message, error.Hint, error.Detail)
                {
                    Where = $"COPY {_sink.TableName}, line {lineNumber.ToString(CultureInfo.InvariantCulture)}, column {_sink.Columns[c].Name}",
                };
            }

            position += length;
        }

        rows.Add(row);
        lines.Add(lineNumber);
        Rows++;
        return position;
    }

    private SqlException Bad(string message) =>
        new(SqlState.BadCopyFileFormat, message) { Where = $"COPY {_sink.TableName}, line {_line.ToString(CultureInfo.InvariantCulture)}" };

    private SqlException Bad(string message, long lineNumber, ReadOnlySpan<byte> line) =>
        new(SqlState.BadCopyFileFormat, message) { Where = $"COPY {_sink.TableName}, line {lineNumber.ToString(CultureInfo.InvariantCulture)}: \"{Encoding.UTF8.GetString(line)}\"" };
}
