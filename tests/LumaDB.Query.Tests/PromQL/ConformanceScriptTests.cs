using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;
using LumaDB.Query.PromQL.Testing;
using Xunit.Abstractions;

namespace LumaDB.Query.Tests.PromQL;

public sealed class ConformanceScriptTests
{
    private readonly ITestOutputHelper _output;

    public ConformanceScriptTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_conformance_folder_holds_the_expected_scripts()
    {
        Assert.Equal(21, ConformanceFiles.TestFiles.Count());
    }

    [Theory]
    [MemberData(nameof(ConformanceFiles.Names), MemberType = typeof(ConformanceFiles))]
    public void Every_eval_expression_in_a_conformance_script_parses_unless_it_is_expected_to_fail(string file)
    {
        var script = PromQLTestScript.Load(Path.Combine(ConformanceFiles.PromQLDirectory, file));
        var evals = script.Evals.ToList();
        Assert.NotEmpty(evals);
        var parsed = 0;
        var failures = new List<string>();
        foreach (var eval in evals)
        {
            var result = PromQLParser.TryParse(eval.Expression);
            if (result.Success)
            {
                parsed++;
                // The canonical text must parse back to the same canonical text.
                var printed = PromQLFormatter.Format(result.Expression!);
                var again = PromQLParser.TryParse(printed);
                if (!again.Success || PromQLFormatter.Format(again.Expression!) != printed)
                {
                    failures.Add($"line {eval.Line}: round trip of {eval.Expression} via {printed}: {again.ErrorMessage}");
                }

                var pretty = PromQLParser.TryParse(PromQLFormatter.Prettify(result.Expression!));
                if (!pretty.Success || PromQLFormatter.Format(pretty.Expression!) != printed)
                {
                    failures.Add($"line {eval.Line}: prettified {eval.Expression} does not read back: {pretty.ErrorMessage}");
                }
            }
            else if (eval.Fail is null)
            {
                failures.Add($"line {eval.Line}: {eval.Expression}: {result.ErrorMessage}");
            }
        }

        _output.WriteLine($"{file}: {parsed}/{evals.Count} eval expressions parse ({100.0 * parsed / evals.Count:F1}%)");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(ConformanceFiles.Names), MemberType = typeof(ConformanceFiles))]
    public void Every_eval_in_a_conformance_script_is_read_with_a_time_and_an_expression(string file)
    {
        var path = Path.Combine(ConformanceFiles.PromQLDirectory, file);
        var script = PromQLTestScript.Load(path);
        var evalLines = File.ReadAllLines(path).Count(l => l.TrimStart().StartsWith("eval", StringComparison.Ordinal));
        Assert.Equal(evalLines, script.Evals.Count());
        foreach (var eval in script.Evals)
        {
            Assert.False(string.IsNullOrWhiteSpace(eval.Expression));
            if (eval.Kind == EvalKind.Range)
            {
                Assert.True(eval.Step > TimeSpan.Zero, $"line {eval.Line}");
                foreach (var s in eval.ExpectedSeries)
                {
                    Assert.True(s.Values.Count <= (int)((eval.End - eval.Start) / eval.Step) + 1, $"line {eval.Line}: {s.Values.Count} values");
                }
            }
            else if (eval.RangeVector is null)
            {
                // An instant query expects one value per series.
                Assert.All(eval.ExpectedSeries, s => Assert.True(s.Values.Count == 1, $"line {eval.Line}: {s.SeriesText}"));
            }
        }

        foreach (var load in script.Commands.OfType<LoadCommand>())
        {
            Assert.True(load.Interval > TimeSpan.Zero);
            Assert.All(load.Series, s => Assert.NotEmpty(s.Values));
        }
    }
}
