using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>
/// Runs a sqllogictest file (the format in shared/conformance/sqllogictest/README.md) against a session, as an
/// engine named "postgresql": statements must succeed or fail as stated, queries must return the expected
/// values after the reference driver's rendering, sorting and hashing.
/// </summary>
internal sealed class SqlLogicTestRunner(ISqlSession session)
{
    private const string EngineName = "postgresql";

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public List<string> Failures { get; } = [];

    public async Task RunFileAsync(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith('#')).ToList();
        var threshold = 8;
        var block = new List<(string Text, int Line)>();
        var number = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Trim().Length > 0)
            {
                block.Add((line, number));
                continue;
            }

            if (block.Count > 0)
            {
                if (!await RunRecordAsync(block, threshold, t => threshold = t))
                {
                    return;
                }

                block.Clear();
            }
        }

        if (block.Count > 0)
        {
            await RunRecordAsync(block, threshold, t => threshold = t);
        }

        _ = lines;
    }

    /// <summary>Runs one record; false on an applicable halt.</summary>
    private async Task<bool> RunRecordAsync(List<(string Text, int Line)> block, int threshold, Action<int> setThreshold)
    {
        var index = 0;
        var skipped = false;
        while (index < block.Count)
        {
            var words = Words(block[index].Text);
            if (words.Length >= 2 && words[0] == "skipif")
            {
                skipped |= string.Equals(words[1], EngineName, StringComparison.OrdinalIgnoreCase);
            }
            else if (words.Length >= 2 && words[0] == "onlyif")
            {
                skipped |= !string.Equals(words[1], EngineName, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                break;
            }

            index++;
        }

        if (index >= block.Count)
        {
            return true;
        }

        var head = Words(block[index].Text);
        var lineNumber = block[index].Line;
        if (head[0] == "halt")
        {
            return skipped;
        }

        if (skipped)
        {
            return true;
        }

        if (head[0] == "hash-threshold")
        {
            setThreshold(int.Parse(head[1], CultureInfo.InvariantCulture));
            return true;
        }

        var body = block.Skip(index + 1).Select(b => b.Text).ToList();
        if (head[0] == "statement")
        {
            var sql = string.Join('\n', body);
            var expectError = head.Length > 1 && head[1] == "error";
            try
            {
                await ExecuteAsync(sql);
                Record(!expectError, lineNumber, sql, "statement succeeded but an error was expected");
            }
            catch (Exception error) when (error is SqlException or LumaDB.Query.Sql.Parser.SqlSyntaxException)
            {
                Record(expectError, lineNumber, sql, error.Message);
            }

            return true;
        }

        if (head[0] == "query")
        {
            var types = head[1];
            var sortMode = head.Length > 2 ? head[2] : "nosort";
            var separator = body.IndexOf("----");
            var sql = string.Join('\n', separator < 0 ? body : body.Take(separator));
            var expected = separator < 0 ? [] : body.Skip(separator + 1).ToList();
            try
            {
                var (columns, rows) = await ExecuteAsync(sql);
                if (columns != types.Length)
                {
                    Record(false, lineNumber, sql, $"expected {types.Length} columns, got {columns}");
                    return true;
                }

                var rendered = rows.Select(r => r.Select((v, i) => Render(v.Value, v.Type, types[i])).ToArray()).ToList();
                if (sortMode == "rowsort")
                {
                    rendered.Sort(CompareRows);
                }

                var values = rendered.SelectMany(r => r).ToList();
                if (sortMode == "valuesort")
                {
                    values.Sort(string.CompareOrdinal);
                }

                bool ok;
                string actual;
                if (expected.Count == 1 && expected[0].Contains(" values hashing to ", StringComparison.Ordinal))
                {
                    actual = $"{values.Count} values hashing to {Hash(values)}";
                    ok = actual == expected[0];
                }
                else if (threshold > 0 && values.Count > threshold)
                {
                    actual = $"{values.Count} values hashing to {Hash(values)}";
                    ok = expected.Count == 1 && actual == expected[0];
                }
                else
                {
                    actual = string.Join(' ', values);
                    ok = values.SequenceEqual(expected);
                }

                Record(ok, lineNumber, sql, $"expected [{string.Join(' ', expected)}] got [{actual}]");
            }
            catch (Exception error) when (error is SqlException or LumaDB.Query.Sql.Parser.SqlSyntaxException)
            {
                Record(false, lineNumber, sql, error.Message);
            }
        }

        return true;
    }

    private void Record(bool ok, int line, string sql, string detail)
    {
        if (ok)
        {
            Passed++;
        }
        else
        {
            Failed++;
            if (Failures.Count < 20)
            {
                Failures.Add($"line {line}: {sql.ReplaceLineEndings(" ")} -- {detail}");
            }
        }
    }

    private async Task<(int Columns, List<(object? Value, SqlType Type)[]> Rows)> ExecuteAsync(string sql)
    {
        var prepared = session.Prepare(sql);
        var result = await session.ExecuteAsync(prepared, []);
        var rows = new List<(object?, SqlType)[]>();
        if (result.Rows is not null)
        {
            await foreach (var batch in result.Rows)
            {
                for (var r = 0; r < batch.RowCount; r++)
                {
                    rows.Add(batch.Columns.Select(c => (c.GetValue(r), c.Type)).ToArray());
                }
            }
        }

        return (result.Columns.Count, rows);
    }

    /// <summary>Renders a value as the reference driver does for the column's declared kind.</summary>
    public static string Render(object? value, SqlType type, char kind)
    {
        if (value is null)
        {
            return "NULL";
        }

        switch (kind)
        {
            case 'I':
                return value switch
                {
                    short s => s.ToString(CultureInfo.InvariantCulture),
                    int i => i.ToString(CultureInfo.InvariantCulture),
                    long l => unchecked((int)l).ToString(CultureInfo.InvariantCulture),
                    decimal d => unchecked((int)(long)decimal.Truncate(d)).ToString(CultureInfo.InvariantCulture),
                    double d => unchecked((int)(long)Math.Truncate(d)).ToString(CultureInfo.InvariantCulture),
                    float f => unchecked((int)(long)Math.Truncate(f)).ToString(CultureInfo.InvariantCulture),
                    bool b => b ? "1" : "0",
                    string s => LeadingInteger(s).ToString(CultureInfo.InvariantCulture),
                    _ => LeadingInteger(SqlText.Format(value, type)).ToString(CultureInfo.InvariantCulture),
                };
            case 'R':
                {
                    var number = value switch
                    {
                        decimal d => (double)d,
                        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0,
                        bool b => b ? 1 : 0,
                        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                    };
                    return number.ToString("F3", CultureInfo.InvariantCulture);
                }

            default:
                {
                    var text = value as string ?? SqlText.Format(value, type);
                    if (text.Length == 0)
                    {
                        return "(empty)";
                    }

                    var chars = text.Select(c => c is < ' ' or > '~' ? '@' : c).ToArray();
                    return new string(chars);
                }
        }
    }

    private static long LeadingInteger(string text)
    {
        var span = text.AsSpan().TrimStart();
        var end = 0;
        if (end < span.Length && span[end] is '-' or '+')
        {
            end++;
        }

        while (end < span.Length && char.IsAsciiDigit(span[end]))
        {
            end++;
        }

        return long.TryParse(span[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? (int)value : 0;
    }

    private static int CompareRows(string[] x, string[] y)
    {
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static string Hash(List<string> values)
    {
        var text = new StringBuilder();
        foreach (var value in values)
        {
            text.Append(value).Append('\n');
        }

        // The file format fixes MD5 as the result digest; it is a checksum here, not security.
#pragma warning disable CA5351
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text.ToString())));
#pragma warning restore CA5351
    }

    private static string[] Words(string line) => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
