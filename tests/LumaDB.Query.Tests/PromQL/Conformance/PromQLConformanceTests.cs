using LumaDB.Query.PromQL.Testing;
using Xunit.Abstractions;

namespace LumaDB.Query.Tests.PromQL.Conformance;

public sealed class PromQLConformanceTests
{
    // Evals passed per file today; a file falling below its floor is a regression.
    private static readonly Dictionary<string, int> Floors = new(StringComparer.Ordinal)
    {
        ["aggregators.test"] = 160,
        ["at_modifier.test"] = 78,
        ["collision.test"] = 2,
        ["duration_expression.test"] = 59,
        ["extended_vectors.test"] = 169,
        ["fill-modifier.test"] = 46,
        ["functions.test"] = 431,
        ["histograms.test"] = 185,
        ["info.test"] = 53,
        ["limit.test"] = 37,
        ["literals.test"] = 25,
        ["name_label_dropping.test"] = 30,
        ["native_histograms.test"] = 522,
        ["operators.test"] = 214,
        ["range_queries.test"] = 18,
        ["selectors.test"] = 31,
        ["staleness.test"] = 17,
        ["start_timestamps.test"] = 0,
        ["subquery.test"] = 34,
        ["trig_functions.test"] = 19,
        ["type_and_unit.test"] = 58,
    };

    private readonly ITestOutputHelper _output;

    public PromQLConformanceTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(ConformanceFiles.Names), MemberType = typeof(ConformanceFiles))]
    public void Conformance_script_passes_at_least_its_floor(string file)
    {
        var script = PromQLTestScript.Load(Path.Combine(ConformanceFiles.PromQLDirectory, file));
        var report = ConformanceRunner.Run(script);
        var rate = report.Run == 0 ? 100.0 : 100.0 * report.Passed / report.Run;
        _output.WriteLine($"{file}: {report.Passed}/{report.Run} evals pass ({rate:F1}%); skipped: {report.SkippedNativeHistogram} native-histogram, {report.SkippedFeature} feature-flagged");
        foreach (var (feature, reason) in ConformanceRunner.ExcludedFeatures)
        {
            _output.WriteLine($"  excluded {feature}: {reason}");
        }

        foreach (var failure in report.Failures)
        {
            _output.WriteLine("  FAIL " + failure);
        }

        var floor = Floors.GetValueOrDefault(file);
        Assert.True(report.Passed >= floor, $"{file}: {report.Passed} evals pass, floor is {floor}");
    }
}
