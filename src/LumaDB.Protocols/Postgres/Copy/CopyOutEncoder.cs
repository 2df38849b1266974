using System.Text;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Protocols.Postgres.Types;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres.Copy;

/// <summary>
/// Writes COPY TO STDOUT data as CopyData messages, one per row as PostgreSQL sends them: text lines with
/// backslash escapes, CSV with quoting where a value needs it (or FORCE_QUOTE asks), or binary tuples
/// between the signature header and the -1 trailer.
/// </summary>
public sealed class CopyOutEncoder
{
    private readonly CopyOptions _options;
    private readonly IReadOnlyList<ResultColumn> _columns;
    private readonly StringBuilder _line = new();
    private bool _binaryHeaderPending;

    /// <summary>Creates an encoder for the given columns and options.</summary>
    public CopyOutEncoder(CopyOptions options, IReadOnlyList<ResultColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(columns);
        _options = options;
        _columns = columns;
    }

    /// <summary>What goes before the first row: the binary header, or a header line of column names.</summary>
    public void WriteStart(PgOutputBuffer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_options.IsBinary)
        {
            // As PostgreSQL does, the header shares the first CopyData message with the first row (or the trailer).
            _binaryHeaderPending = true;
            return;
        }

        if (_options.Header)
        {
            _line.Clear();
            for (var c = 0; c < _columns.Count; c++)
            {
                if (c > 0)
                {
                    _line.Append(_options.Delimiter);
                }

                AppendText(_columns[c].Name, c, header: true);
            }

            _line.Append('\n');
            output.BeginMessage((byte)'d');
            output.WriteUtf8(_line.ToString());
            output.EndMessage();
        }
    }

    /// <summary>One row as one CopyData message.</summary>
    public void WriteRow(PgOutputBuffer output, ResultBatch batch, int row)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.BeginMessage((byte)'d');
        if (_options.IsBinary)
        {
            WriteBinaryHeaderIfPending(output);
            output.WriteInt16((short)_columns.Count);
            for (var c = 0; c < _columns.Count; c++)
            {
                var vector = batch.Columns[c];
                PgValueCodec.Write(output, vector.GetValue(row), vector.Type, 1);
            }

            output.EndMessage();
            return;
        }

        _line.Clear();
        for (var c = 0; c < _columns.Count; c++)
        {
            if (c > 0)
            {
                _line.Append(_options.Delimiter);
            }

            var vector = batch.Columns[c];
            var value = vector.GetValue(row);
            if (value is null)
            {
                _line.Append(_options.Null);
                continue;
            }

            AppendText(SqlText.Format(value, vector.Type), c, header: false);
        }

        _line.Append('\n');
        output.WriteUtf8(_line.ToString());
        output.EndMessage();
    }

    /// <summary>What goes after the last row: the binary trailer.</summary>
    public void WriteEnd(PgOutputBuffer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_options.IsBinary)
        {
            output.BeginMessage((byte)'d');
            WriteBinaryHeaderIfPending(output);
            output.WriteInt16(-1);
            output.EndMessage();
        }
    }

    private void WriteBinaryHeaderIfPending(PgOutputBuffer output)
    {
        if (_binaryHeaderPending)
        {
            _binaryHeaderPending = false;
            output.WriteBytes(CopyInDecoder.Signature);
            output.WriteInt32(0);
            output.WriteInt32(0);
        }
    }

    private void AppendText(string text, int column, bool header)
    {
        if (_options.Format == CopyFormat.Csv)
        {
            AppendCsv(text, column, header);
            return;
        }

        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\\': _line.Append("\\\\"); break;
                case '\n': _line.Append("\\n"); break;
                case '\r': _line.Append("\\r"); break;
                case '\t': _line.Append("\\t"); break;
                case '\b': _line.Append("\\b"); break;
                case '\f': _line.Append("\\f"); break;
                case '\v': _line.Append("\\v"); break;
                default:
                    if (ch == _options.Delimiter)
                    {
                        _line.Append('\\');
                    }

                    _line.Append(ch);
                    break;
            }
        }
    }

    private void AppendCsv(string text, int column, bool header)
    {
        var quote = _options.Quote;
        var escape = _options.Escape;
        var needsQuotes = (!header && _options.ForceQuote.Length > column && _options.ForceQuote[column])
            || text == _options.Null
            || text == "\\."
            || text.AsSpan().IndexOfAny([_options.Delimiter, quote, '\n', '\r']) >= 0
            || (escape != quote && text.Contains(escape, StringComparison.Ordinal));
        if (!needsQuotes)
        {
            _line.Append(text);
            return;
        }

        _line.Append(quote);
        foreach (var ch in text)
        {
            if (ch == quote || ch == escape)
            {
                _line.Append(escape);
            }

            _line.Append(ch);
        }

        _line.Append(quote);
    }
}
