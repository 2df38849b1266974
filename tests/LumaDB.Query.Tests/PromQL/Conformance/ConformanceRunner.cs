using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Engine;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;
using LumaDB.Query.PromQL.Testing;

namespace LumaDB.Query.Tests.PromQL.Conformance;

/// <summary>What happened to one eval of a script.</summary>
internal enum EvalOutcome
{
    Passed,
    Failed,
    SkippedNativeHistogram,
    SkippedFeature,
}

/// <summary>Counts for one script, plus the first failures for the test log.</summary>
internal sealed class ScriptReport
{
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int SkippedNativeHistogram { get; set; }
    public int SkippedFeature { get; set; }
    public List<string> Failures { get; } = [];
    public int Run => Passed + Failed;
}

/// <summary>
/// Runs a promqltest script against <see cref="PromQLEngine"/> over a <see cref="MetricStore"/>: loads go
/// through <see cref="MetricStore.Append"/> (the hot-tier storage path) and every eval is compared with its
/// expected result, and with its expected warnings and infos.
/// </summary>
internal static class ConformanceRunner
{
    /// <summary>
    /// Features Prometheus keeps behind feature flags that this engine does not implement yet; evals using them
    /// (found by the functions they call or the data they load, never by their text) are skipped, not failed.
    /// Each entry names the flag.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ExcludedFeatures = new Dictionary<string, string>
    {
        // Prometheus's docs/feature_flags.md: per-sample start timestamps are stored only with
        // --enable-feature=st-storage, PromQL uses them only with --enable-feature=use-start-timestamps, and
        // start_timestamp() is an experimental function (--enable-feature=promql-experimental-functions).
        ["start_timestamp()"] = "behind Prometheus's st-storage and promql-experimental-functions feature flags; start timestamps are not stored here",
        ["start timestamps (@st load lines)"] = "rate/increase/irate/resets over start timestamps are behind Prometheus's st-storage and use-start-timestamps feature flags; start timestamps are not stored here",
    };

    public static ScriptReport Run(PromQLTestScript script)
    {
        var report = new ScriptReport();
        var store = new MetricStore();
        var histogramsLoaded = false;
        var startTimestampsLoaded = false;
        try
        {
            foreach (var command in script.Commands)
            {
                switch (command)
                {
                    case ClearCommand:
                        store.Dispose();
                        store = new MetricStore();
                        histogramsLoaded = false;
                        startTimestampsLoaded = false;
                        break;
                    case LoadCommand load:
                        histogramsLoaded |= Load(store, load);
                        startTimestampsLoaded |= load.Series.Any(series => series.StartTimestampOffsets is not null);
                        break;
                    case EvalCommand eval:
                        var why = "";
                        var outcome = startTimestampsLoaded
                            ? EvalOutcome.SkippedFeature
                            : RunEval(store, eval, out why);

                        switch (outcome)
                        {
                            case EvalOutcome.Passed:
                                report.Passed++;
                                break;
                            case EvalOutcome.Failed:
                                report.Failed++;
                                report.Failures.Add($"line {eval.Line}: {eval.Expression}: {why}");
                                break;
                            case EvalOutcome.SkippedNativeHistogram:
                                report.SkippedNativeHistogram++;
                                break;
                            default:
                                report.SkippedFeature++;
                                break;
                        }

                        break;
                }
            }
        }
        finally
        {
            store.Dispose();
        }

        return report;
    }

    private static LabelSet ToLabels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var list = new List<Label>(labels.Count);
        foreach (var (k, v) in labels)
        {
            list.Add(new Label(k, v));
        }

        return LabelSet.Create(list);
    }

    // Returns whether the block holds native histograms.
    private static bool Load(MetricStore store, LoadCommand load)
    {
        var histograms = load.WithNhcb;
        var interval = (long)load.Interval.TotalMilliseconds;
        foreach (var series in load.Series)
        {
            var labels = ToLabels(series.Labels);
            for (var i = 0; i < series.Values.Count; i++)
            {
                var v = series.Values[i];
                switch (v.Kind)
                {
                    case SampleKind.Float:
                    case SampleKind.Stale:
                        store.Append(labels, i * interval, v.Value);
                        break;
                    case SampleKind.Histogram:
                        store.AppendHistogram(labels, i * interval, v.ResolveHistogram()!);
                        histograms = true;
                        break;
                }
            }
        }

        if (load.WithNhcb)
        {
            ClassicToNhcb.Load(store, load);
        }

        return histograms;
    }

    private static EvalOutcome RunEval(MetricStore store, EvalCommand eval, out string why)
    {
        why = "";

        var parsed = PromQLParser.TryParse(eval.Expression);
        if (!parsed.Success)
        {
            why = "parse error: " + parsed.ErrorMessage;
            return eval.Fail is not null && MessageMatches(eval.Fail, parsed.ErrorMessage!) ? EvalOutcome.Passed : EvalOutcome.Failed;
        }

        var expr = parsed.Expression!;
        if (UsesExcludedFeature(expr))
        {
            return EvalOutcome.SkippedFeature;
        }

        var engine = new PromQLEngine(store);
        QueryResult result;
        try
        {
            if (eval.Kind == EvalKind.Range)
            {
                result = engine.Range(expr, Ms(eval.Start), Ms(eval.End), Ms(eval.Step));

                // Range queries of common shapes are computed series-wise; the step-by-step path must agree.
                var stepwise = new PromQLEngine(store, new PromQLEngineOptions { SeriesWiseRange = false })
                    .Range(expr, Ms(eval.Start), Ms(eval.End), Ms(eval.Step));
                if (MatrixDifference(result.Matrix, stepwise.Matrix) is { } difference)
                {
                    why = "series-wise and step-by-step results differ: " + difference;
                    return EvalOutcome.Failed;
                }

                var notes = string.Join(" | ", result.Annotations.Select(a => a.Format(eval.Expression)).Order(StringComparer.Ordinal));
                var stepwiseNotes = string.Join(" | ", stepwise.Annotations.Select(a => a.Format(eval.Expression)).Order(StringComparer.Ordinal));
                if (notes != stepwiseNotes)
                {
                    why = $"series-wise and step-by-step annotations differ: [{notes}] against [{stepwiseNotes}]";
                    return EvalOutcome.Failed;
                }
            }
            else
            {
                result = engine.Instant(expr, Ms(eval.RangeVector?.End ?? eval.At));
            }
        }
        catch (PromQLEvaluationException e)
        {
            why = "error: " + e.Message;
            return eval.Fail is not null && MessageMatches(eval.Fail, e.Message) ? EvalOutcome.Passed : EvalOutcome.Failed;
        }

        if (eval.Fail is not null)
        {
            why = "expected an error";
            return EvalOutcome.Failed;
        }

        why = ResultComparer.Compare(eval, result) ?? CheckAnnotations(eval, result) ?? "";
        if (why.Length == 0 && eval.Kind == EvalKind.Instant && eval.RangeVector is null && eval.ExpectedString is null)
        {
            why = HarnessChecks.Run(engine, eval, expr) ?? "";
        }

        return why.Length == 0 ? EvalOutcome.Passed : EvalOutcome.Failed;
    }

    private static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;

    // expect warn|info (any, msg: or regex:) and expect no_warn|no_info; an eval with none of them is not checked.
    private static string? CheckAnnotations(EvalCommand eval, QueryResult result) =>
        CheckAnnotations("warning", eval.Warnings, eval.NoWarnings, result.AnnotationTexts(QueryAnnotationKind.Warning, eval.Expression))
        ?? CheckAnnotations("info", eval.Infos, eval.NoInfos, result.AnnotationTexts(QueryAnnotationKind.Info, eval.Expression));

    private static string? CheckAnnotations(string kind, IReadOnlyList<AnnotationExpectation> expected, bool none, IReadOnlyList<string> actual)
    {
        if (none)
        {
            return actual.Count == 0 ? null : $"expected no {kind}, got: {string.Join(" | ", actual)}";
        }

        if (expected.Count == 0)
        {
            return null;
        }

        if (actual.Count == 0)
        {
            return $"expected a {kind}, got none";
        }

        foreach (var e in expected)
        {
            if (!actual.Any(a => AnnotationMatches(e, a)))
            {
                return $"expected {kind} {e.Message ?? e.Regex}, got: {string.Join(" | ", actual)}";
            }
        }

        foreach (var a in actual)
        {
            if (!expected.Any(e => AnnotationMatches(e, a)))
            {
                return $"unexpected {kind} {a}";
            }
        }

        return null;
    }

    private static bool AnnotationMatches(AnnotationExpectation expected, string actual) =>
        expected.Message is not null ? string.Equals(expected.Message, actual, StringComparison.Ordinal)
        : expected.Regex is null || Regex.IsMatch(actual, expected.Regex, RegexOptions.None, TimeSpan.FromSeconds(1));

    private static string? MatrixDifference(IReadOnlyList<MatrixSeries> a, IReadOnlyList<MatrixSeries> b)
    {
        if (a.Count != b.Count)
        {
            return $"{a.Count} series against {b.Count}";
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].Labels.Equals(b[i].Labels) || !a[i].Timestamps.AsSpan().SequenceEqual(b[i].Timestamps)
                || !a[i].Values.AsSpan().SequenceEqual(b[i].Values)
                || (a[i].HistogramTimestamps?.Length ?? 0) != (b[i].HistogramTimestamps?.Length ?? 0))
            {
                return $"series {a[i].Labels} against {b[i].Labels}";
            }
        }

        return null;
    }

    private static bool UsesExcludedFeature(Expr expr)
    {
        foreach (var node in PromQLTree.Walk(expr))
        {
            switch (node)
            {
                case Call c when c.Function.Name is "start_timestamp":
                    return true;
            }
        }

        return false;
    }

    private static bool MessageMatches(FailExpectation fail, string message)
    {
        if (fail.Message is not null)
        {
            return string.Equals(fail.Message, message, StringComparison.Ordinal);
        }

        return fail.Regex is null || Regex.IsMatch(message, fail.Regex, RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
