using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using Xunit.Abstractions;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class SqlLogicTestParseTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_sqllogictest_record_that_runs_on_postgresql_is_parsed_rate_reported_and_round_tripped()
    {
        var directory = SqlLogicTestCorpus.FindDirectory();
        if (directory is null)
        {
            output.WriteLine("shared/conformance/sqllogictest not found next to the repository; nothing to check.");
            return;
        }

        var mustParseFully = new[] { "select1.test", "select2.test", "select3.test" };
        var failuresInRequiredFiles = new List<string>();
        var roundTripFailures = new List<string>();
        foreach (var file in SqlLogicTestCorpus.Files(directory))
        {
            var name = Path.GetRelativePath(directory, file);
            var records = SqlLogicTestCorpus.Read(file);
            var expectedToWork = records.Where(r => r.Kind != "statement error").ToList();
            var parsed = 0;
            foreach (var record in expectedToWork)
            {
                if (SqlParser.TryParseScript(record.Sql, out var script, out var error))
                {
                    parsed++;
                    var formatted = SqlFormatter.Format(script);
                    if (!SqlParser.TryParseScript(formatted, out var reparsed, out _) || !reparsed.Statements.Equals(script.Statements))
                    {
                        roundTripFailures.Add($"{name}:{record.Line}: {formatted}");
                    }
                }
                else
                {
                    output.WriteLine($"  {name}:{record.Line}: {error.Message} (position {error.Position}) in: {record.Sql.ReplaceLineEndings(" ")}");
                    if (mustParseFully.Contains(name))
                    {
                        failuresInRequiredFiles.Add($"{name}:{record.Line}: {error.Message}");
                    }
                }
            }

            var errorRecords = records.Count - expectedToWork.Count;
            var errorRecordsParsed = records.Where(r => r.Kind == "statement error").Count(r => SqlParser.TryParseScript(r.Sql, out _, out _));
            var rate = expectedToWork.Count == 0 ? 100.0 : 100.0 * parsed / expectedToWork.Count;
            output.WriteLine($"{name}: {parsed}/{expectedToWork.Count} parsed ({rate:F1}%); 'statement error' records: {errorRecordsParsed}/{errorRecords} parse");
        }

        Assert.Empty(failuresInRequiredFiles);
        Assert.Empty(roundTripFailures);
    }
}
