using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Runs PromQL instant and range queries against an <see cref="IMetricSource"/>.</summary>
public sealed class PromQLEngine
{
    private readonly IMetricSource _source;
    private readonly PromQLEngineOptions _options;

    /// <summary>Creates an engine over <paramref name="source"/>.</summary>
    public PromQLEngine(IMetricSource source, PromQLEngineOptions? options = null)
    {
        _source = source;
        _options = options ?? new PromQLEngineOptions();
    }

    /// <summary>Evaluates <paramref name="query"/> at <paramref name="timeMs"/>. Parse errors throw <see cref="PromQLParseException"/>.</summary>
    public QueryResult Instant(string query, long timeMs) => Instant(PromQLParser.Parse(query), timeMs);

    /// <summary>Evaluates a parsed expression at <paramref name="timeMs"/>.</summary>
    public QueryResult Instant(Expr expr, long timeMs) => Instant(expr, timeMs, CancellationToken.None);

    /// <summary>
    /// Evaluates a parsed expression at <paramref name="timeMs"/> within the limits: <paramref name="cancellation"/>
    /// stops it (<see cref="OperationCanceledException"/>), too many samples throw <see cref="PromQLTooManySamplesException"/>.
    /// </summary>
    public QueryResult Instant(Expr expr, long timeMs, CancellationToken cancellation)
    {
        var evaluator = new Evaluator(_source, _options, timeMs, timeMs, 0, expr);
        evaluator.SetLimits(_options.MaxSamples, cancellation);
        evaluator.BeginStep(0);
        var value = evaluator.Eval(expr, timeMs);
        var annotations = evaluator.Annotations.ToList();
        return value switch
        {
            ScalarValue s => new QueryResult { Type = PromQLValueType.Scalar, Scalar = s.Value, Annotations = annotations },
            StringValue s => new QueryResult { Type = PromQLValueType.String, String = s.Value, Annotations = annotations },
            VectorValue v => new QueryResult { Type = PromQLValueType.Vector, Vector = Finish(v.Samples, timeMs), Annotations = annotations },
            MatrixValue m => new QueryResult { Type = PromQLValueType.Matrix, Matrix = FinishMatrix(m), Annotations = annotations },
            _ => throw new PromQLEvaluationException("unexpected result"),
        };
    }

    /// <summary>Evaluates <paramref name="query"/> at every step from <paramref name="startMs"/> to <paramref name="endMs"/>.</summary>
    public QueryResult Range(string query, long startMs, long endMs, long stepMs) => Range(PromQLParser.Parse(query), startMs, endMs, stepMs);

    /// <summary>Evaluates a parsed expression as a range query; the result is a matrix sorted by labels.</summary>
    public QueryResult Range(Expr expr, long startMs, long endMs, long stepMs) => Range(expr, startMs, endMs, stepMs, CancellationToken.None);

    /// <summary>Evaluates a parsed expression as a range query within the limits (see <see cref="Instant(Expr, long, CancellationToken)"/>).</summary>
    public QueryResult Range(Expr expr, long startMs, long endMs, long stepMs, CancellationToken cancellation)
    {
        if (expr.Type is not (PromQLValueType.Scalar or PromQLValueType.Vector))
        {
            throw new PromQLEvaluationException($"invalid expression type \"{expr.Type.Documented()}\" for range query, must be Scalar or instant Vector");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepMs);
        var evaluator = new Evaluator(_source, _options, startMs, endMs, stepMs, expr);
        evaluator.SetLimits(_options.MaxSamples, cancellation);
        if (_options.SeriesWiseRange && evaluator.TryEvalSeriesWise(expr) is { } matrix)
        {
            return new QueryResult { Type = PromQLValueType.Matrix, Matrix = matrix, Annotations = evaluator.Annotations.ToList() };
        }

        var series = new Dictionary<LabelSet, (List<long> T, List<double> F)>();
        var histograms = new Dictionary<LabelSet, (List<long> T, List<FloatHistogram> H)>();
        long held = 0;
        for (var t = startMs; t <= endMs; t += stepMs)
        {
            // The points already collected for the result count against the limit along with the step's own.
            evaluator.BeginStep(held);
            switch (evaluator.Eval(expr, t))
            {
                case ScalarValue s:
                    Add(series, LabelSet.Empty, t, s.Value);
                    held++;
                    break;
                case VectorValue v:
                    foreach (var sample in Finish(v.Samples, t))
                    {
                        if (sample.Histogram is { } h)
                        {
                            AddHistogram(series, histograms, sample.Labels, t, h);
                            continue;
                        }

                        Add(series, sample.Labels, t, sample.Value);
                    }

                    held += v.Samples.Count;
                    break;
            }
        }

        var result = new List<MatrixSeries>(series.Count);
        foreach (var (labels, (ts, fs)) in series)
        {
            result.Add(histograms.TryGetValue(labels, out var hl)
                ? new MatrixSeries(labels, ts.ToArray(), fs.ToArray(), hl.T.ToArray(), hl.H.ToArray())
                : new MatrixSeries(labels, ts.ToArray(), fs.ToArray()));
        }

        result.Sort(static (a, b) => LabelSet.Compare(a.Labels, b.Labels));
        return new QueryResult { Type = PromQLValueType.Matrix, Matrix = result, Annotations = evaluator.Annotations.ToList() };
    }

    private static void Add(Dictionary<LabelSet, (List<long> T, List<double> F)> series, LabelSet labels, long t, double f)
    {
        if (!series.TryGetValue(labels, out var entry))
        {
            entry = ([], []);
            series[labels] = entry;
        }

        entry.T.Add(t);
        entry.F.Add(f);
    }

    private static void AddHistogram(Dictionary<LabelSet, (List<long> T, List<double> F)> series, Dictionary<LabelSet, (List<long> T, List<FloatHistogram> H)> histograms, LabelSet labels, long t, FloatHistogram h)
    {
        if (!series.ContainsKey(labels))
        {
            series[labels] = ([], []);
        }

        if (!histograms.TryGetValue(labels, out var entry))
        {
            entry = ([], []);
            histograms[labels] = entry;
        }

        entry.T.Add(t);
        entry.H.Add(h);
    }

    // The type and unit labels describe the metric name, so they go with it.
    internal static LabelSet DropMetricName(LabelSet labels) =>
        labels.Without(LabelSet.MetricName).Without("__type__").Without("__unit__");

    // Removes deferred metric names, then rejects label sets that became equal.
    private static List<VectorSample> Finish(List<EvalSample> samples, long t)
    {
        var result = new List<VectorSample>(samples.Count);
        var seen = new HashSet<LabelSet>();
        foreach (var s in samples)
        {
            var labels = s.DropName ? DropMetricName(s.Labels) : s.Labels;
            if (!seen.Add(labels))
            {
                throw new PromQLEvaluationException("vector cannot contain metrics with the same labelset");
            }

            result.Add(new VectorSample(labels, t, s.F, s.H));
        }

        return result;
    }

    private static List<MatrixSeries> FinishMatrix(MatrixValue m)
    {
        var result = new List<MatrixSeries>(m.Series.Count);
        foreach (var s in m.Series)
        {
            var labels = s.DropName ? DropMetricName(s.Labels) : s.Labels;
            result.Add(s.HCount > 0
                ? new MatrixSeries(labels, s.Times.ToArray(), s.Floats.ToArray(), s.HistogramTimes.ToArray(), s.Histograms.ToArray())
                : new MatrixSeries(labels, s.Times.ToArray(), s.Floats.ToArray()));
        }

        result.Sort(static (a, b) => LabelSet.Compare(a.Labels, b.Labels));
        return result;
    }
}
