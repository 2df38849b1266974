namespace LumaDB.Query.Tests.Sql.Parser;

/// <summary>Reads the SQL records of a sqllogictest file as an engine named "postgresql" would run them.</summary>
internal static class SqlLogicTestCorpus
{
    private const string Engine = "postgresql";

    /// <summary>The corpus folder, found by walking up from the test assembly to the folder that holds shared/conformance.</summary>
    public static string? FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance", "sqllogictest");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*.test").Concat(Directory.EnumerateFiles(Path.Combine(directory, "evidence"), "*.test")).Order(StringComparer.Ordinal);

    /// <summary>One SQL record: its kind ("statement ok", "statement error" or "query"), SQL and first line number.</summary>
    public sealed record Record(string Kind, string Sql, int Line);

    public static List<Record> Read(string path)
    {
        var records = new List<Record>();
        var lines = File.ReadAllLines(path).Select(l => l.TrimEnd('\r')).ToArray();
        var block = new List<(string Text, int Line)>();
        for (var i = 0; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i] : string.Empty;
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.Trim().Length > 0)
            {
                block.Add((line, i + 1));
                continue;
            }

            if (block.Count > 0 && !HandleRecord(block, records))
            {
                return records;
            }

            block.Clear();
        }

        return records;
    }

    /// <summary>Adds the record's SQL if it runs on PostgreSQL; false on an applicable <c>halt</c>.</summary>
    private static bool HandleRecord(List<(string Text, int Line)> block, List<Record> records)
    {
        var index = 0;
        var skipped = false;
        while (index < block.Count)
        {
            var words = block[index].Text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "skipif")
            {
                skipped |= string.Equals(words[1], Engine, StringComparison.OrdinalIgnoreCase);
            }
            else if (words.Length >= 2 && words[0] == "onlyif")
            {
                skipped |= !string.Equals(words[1], Engine, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                break;
            }

            index++;
        }

        if (index >= block.Count || skipped)
        {
            return true;
        }

        var header = block[index].Text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (header[0] == "halt")
        {
            return false;
        }

        var body = block.Skip(index + 1).Select(l => l.Text).ToList();
        if (header[0] == "statement" && header.Length >= 2)
        {
            records.Add(new Record("statement " + header[1], string.Join('\n', body), block[index].Line));
        }
        else if (header[0] == "query")
        {
            var separator = body.IndexOf("----");
            var sql = separator < 0 ? body : body.Take(separator);
            records.Add(new Record("query", string.Join('\n', sql), block[index].Line));
        }

        return true;
    }
}
