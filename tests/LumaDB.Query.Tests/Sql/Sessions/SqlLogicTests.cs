using LumaDB.Query.Tests.Sql.Parser;
using Xunit.Abstractions;

namespace LumaDB.Query.Tests.Sql.Sessions;

/// <summary>The sqllogictest corpus run against a real database, one test per file, printing each file's pass rate.</summary>
public sealed class SqlLogicTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var directory = SqlLogicTestCorpus.FindDirectory();
        if (directory is not null)
        {
            foreach (var file in SqlLogicTestCorpus.Files(directory))
            {
                data.Add(Path.GetRelativePath(directory, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Corpus_file_passes(string file)
    {
        var directory = SqlLogicTestCorpus.FindDirectory()!;
        await using var database = await SqlTestDatabase.OpenAsync();
        var runner = new SqlLogicTestRunner(database.Session);
        await runner.RunFileAsync(Path.Combine(directory, file));
        var total = runner.Passed + runner.Failed;
        output.WriteLine($"{file}: {runner.Passed}/{total} records passed ({(total == 0 ? 100 : 100.0 * runner.Passed / total):0.0}%)");
        foreach (var failure in runner.Failures)
        {
            output.WriteLine(failure);
        }

        if (file.StartsWith("select", StringComparison.Ordinal))
        {
            Assert.Equal(0, runner.Failed);
        }
    }
}
