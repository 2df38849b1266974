using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary><c>info()</c>: adds data labels of info series (default <c>target_info</c>) that share the identifying labels.</summary>
internal sealed partial class Evaluator
{
    private static readonly string[] IdentifyingLabels = ["instance", "job"];

    private readonly Dictionary<Call, IReadOnlyList<StoredSeries>> _infoData = [];

    private VectorValue EvalInfo(Call c, long t)
    {
        var input = Vector(c.Arguments[0], t);
        var nameMatchers = new List<LabelMatcher>();
        var dataMatchers = new List<LabelMatcher>();
        if (c.Arguments.Count > 1 && Unwrap(c.Arguments[1]) is VectorSelector selector)
        {
            foreach (var m in selector.Matchers)
            {
                (m.Name == LabelSet.MetricName ? nameMatchers : dataMatchers).Add(m);
            }
        }

        if (nameMatchers.Count == 0)
        {
            nameMatchers.Add(LabelMatcher.Create(LabelMatchType.Equal, LabelSet.MetricName, "target_info"));
        }
        else if (!nameMatchers.Exists(m => m.Type is LabelMatchType.Equal or LabelMatchType.Regex))
        {
            // Only exclusions given: the candidates are still info metrics, i.e. names ending in _info.
            nameMatchers.Add(LabelMatcher.Create(LabelMatchType.Regex, LabelSet.MetricName, ".+_info"));
        }

        // Info series are few; they are read once per query over all time and sliced per step.
        if (!_infoData.TryGetValue(c, out var infoSeries))
        {
            var matchers = SeriesMatchers.From(nameMatchers);
            if (_source.SelectHistograms(matchers, long.MinValue / 4, long.MaxValue / 4).Count > 0)
            {
                // Info metrics carry labels in float samples; a histogram series there is a misuse, not data.
                throw new PromQLEvaluationException("info metrics must be float series, but the info series selector matches native histograms");
            }

            infoSeries = _source.Select(matchers, long.MinValue / 4, long.MaxValue / 4);
            _infoData[c] = infoSeries;
        }

        var infoTime = InfoTime(c.Arguments[0], t);
        var result = new List<EvalSample>(input.Count);
        foreach (var s in input)
        {
            if (AllMatch(nameMatchers, s.Labels))
            {
                // Info series are not enriched with their own kind.
                result.Add(new EvalSample(s.Labels, s.F, t, s.DropName));
                continue;
            }

            // Per info metric name, the matching series with the newest sample wins.
            var chosen = new Dictionary<string, (LabelSet Labels, long T)>(StringComparer.Ordinal);
            foreach (var info in infoSeries)
            {
                if (!SharesIdentity(info.Labels, s.Labels) || !AllMatch(dataMatchers, info.Labels) || !InfoSampleTime(info, infoTime, out var sampleTime))
                {
                    continue;
                }

                var name = info.Labels.Get(LabelSet.MetricName);
                if (!chosen.TryGetValue(name, out var current) || sampleTime > current.T)
                {
                    chosen[name] = (info.Labels, sampleTime);
                }
            }

            var labels = s.Labels;
            var matched = chosen.Count > 0;
            var fromInfo = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (_, (infoLabels, _)) in chosen)
            {
                foreach (var l in infoLabels.Labels)
                {
                    if (l.Name == LabelSet.MetricName || Array.IndexOf(IdentifyingLabels, l.Name) >= 0 || labels.Has(l.Name))
                    {
                        continue;
                    }

                    if (dataMatchers.Count > 0 && !WantedDataLabel(dataMatchers, l))
                    {
                        continue;
                    }

                    if (fromInfo.TryGetValue(l.Name, out var earlier))
                    {
                        if (earlier != l.Value)
                        {
                            throw new PromQLEvaluationException($"conflicting label: info metrics give \"{l.Name}\" the values \"{earlier}\" and \"{l.Value}\"");
                        }

                        continue;
                    }

                    fromInfo[l.Name] = l.Value;
                }
            }

            if (!matched && !AllMatchEmpty(dataMatchers))
            {
                continue;
            }

            foreach (var (name, value) in fromInfo)
            {
                labels = labels.With(name, value);
            }

            result.Add(new EvalSample(labels, s.F, t, s.DropName));
        }

        return new VectorValue(result);
    }

    // The info series are read at the time the data samples were: follow the argument down through calls,
    // aggregations and subqueries, applying each @ and offset on the way.
    private long InfoTime(Expr arg, long t)
    {
        var time = t;
        var e = arg;
        while (true)
        {
            switch (Unwrap(e))
            {
                case VectorSelector vs:
                    return (AtTime(vs.Timestamp, vs.At) ?? time) - DurationMs(vs.Offset, vs.OffsetExpr);
                case MatrixSelector ms:
                    e = ms.Selector;
                    continue;
                case SubqueryExpr sq:
                    time = (AtTime(sq.Timestamp, sq.At) ?? time) - DurationMs(sq.Offset, sq.OffsetExpr);
                    e = sq.Inner;
                    continue;
                case AggregateExpr a:
                    e = a.Inner;
                    continue;
                case Call c:
                    Expr? next = null;
                    foreach (var a in c.Arguments)
                    {
                        if (a.Type is PromQLValueType.Vector or PromQLValueType.Matrix)
                        {
                            next = a;
                            break;
                        }
                    }

                    if (next is null)
                    {
                        return time;
                    }

                    e = next;
                    continue;
                default:
                    return time;
            }
        }
    }

    private bool InfoSampleTime(StoredSeries info, long time, out long sampleTime)
    {
        sampleTime = 0;
        var i = UpperBound(info.Timestamps, time) - 1;
        if (i < 0 || info.Timestamps[i] <= time - _options.LookbackDeltaMs || StaleMarker.Is(info.Values[i]))
        {
            return false;
        }

        sampleTime = info.Timestamps[i];
        return true;
    }

    private static bool SharesIdentity(LabelSet info, LabelSet data)
    {
        foreach (var name in IdentifyingLabels)
        {
            var v = info.Get(name);
            if (v.Length > 0 && v != data.Get(name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool WantedDataLabel(List<LabelMatcher> matchers, Label label)
    {
        var named = false;
        foreach (var m in matchers)
        {
            if (m.Name != label.Name)
            {
                continue;
            }

            named = true;
            if (!m.Matches(label.Value))
            {
                return false;
            }
        }

        return named;
    }

    private static bool AllMatch(List<LabelMatcher> matchers, LabelSet labels)
    {
        foreach (var m in matchers)
        {
            if (!m.Matches(labels.Get(m.Name)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllMatchEmpty(List<LabelMatcher> matchers)
    {
        foreach (var m in matchers)
        {
            if (!m.Matches(""))
            {
                return false;
            }
        }

        return true;
    }
}
