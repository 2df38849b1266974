using System.Text;
using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Metrics;

/// <summary>
/// The rows of one metric table: a row per sample, label columns first (in name order), then <c>ts</c> and
/// <c>value</c>. Label predicates become series matchers, so only matching series are read; <c>ts</c> bounds become
/// the read window. Staleness markers are not samples and are left out.
/// </summary>
internal sealed class MetricTableSource : IFilteredRowSource
{
    private const int BatchRows = 4096;
    private const ulong StaleMarkerBits = 0x7ff0000000000002;

    private readonly IMetricSource _source;
    private readonly string _metric;
    private readonly string[] _labels;
    private readonly Dictionary<string, string> _labelOfColumn = new(StringComparer.Ordinal);

    public MetricTableSource(IMetricSource source, string metric, IReadOnlyList<string> labelNames)
    {
        _source = source;
        _metric = metric;
        _labels = labelNames.Where(n => n != LabelSet.MetricName).ToArray();
        var columns = new List<ResultColumn>(_labels.Length + 2);
        foreach (var label in _labels)
        {
            var column = MetricTableProvider.ColumnOf(label);
            _labelOfColumn[column] = label;
            columns.Add(new ResultColumn(column, SqlType.Text));
        }

        columns.Add(new ResultColumn("ts", SqlType.TimestampTz));
        columns.Add(new ResultColumn("value", SqlType.Float8));
        Columns = columns;
        FilterableColumns = new HashSet<string>(_labelOfColumn.Keys, StringComparer.Ordinal);
    }

    public IReadOnlyList<ResultColumn> Columns { get; }

    public IReadOnlySet<string> FilterableColumns { get; }

    public string? TimeColumn => "ts";

    public string ScanLabel => "Metric Scan on " + MetricTableProvider.MetricsSchema + "." + _metric;

    public IEnumerable<ResultBatch> Rows(SystemTableContext context, SystemTableFilter filter)
    {
        var matchers = new List<SeriesMatcher>(filter.Columns.Count + 1) { MetricTableProvider.NameMatcher(_metric) };
        foreach (var column in filter.Columns)
        {
            if (_labelOfColumn.TryGetValue(column.Column, out var label))
            {
                matchers.Add(ToMatcher(label, column));
            }
        }

        // Sample times are ms; the window is the ms range whose microsecond instants fall inside the bounds.
        var mint = filter.FromMicros is { } from ? CeilingDiv(Math.Max(from, long.MinValue / 4), 1000) : MetricTableProvider.MinTime;
        var maxt = filter.ToMicros is { } to ? FloorDiv(to, 1000) : MetricTableProvider.MaxTime;
        if (mint > maxt)
        {
            return [];
        }

        return Produce(_source.Select(matchers, mint, maxt));
    }

    private IEnumerable<ResultBatch> Produce(IReadOnlyList<StoredSeries> series)
    {
        var labelColumns = new string?[_labels.Length][];
        long[] ts = [];
        double[] values = [];
        var filled = 0;

        void Start()
        {
            for (var l = 0; l < labelColumns.Length; l++)
            {
                labelColumns[l] = new string?[BatchRows];
            }

            ts = new long[BatchRows];
            values = new double[BatchRows];
            filled = 0;
        }

        ResultBatch Finish()
        {
            var columns = new ColumnVector[_labels.Length + 2];
            for (var l = 0; l < _labels.Length; l++)
            {
                var texts = labelColumns[l].AsSpan(0, filled).ToArray();
                bool[]? nulls = null;
                for (var r = 0; r < texts.Length; r++)
                {
                    if (texts[r] is null)
                    {
                        nulls ??= new bool[texts.Length];
                        nulls[r] = true;
                    }
                }

                columns[l] = new ColumnVector(SqlType.Text, texts, nulls);
            }

            columns[^2] = new ColumnVector(SqlType.TimestampTz, ts.AsSpan(0, filled).ToArray(), null);
            columns[^1] = new ColumnVector(SqlType.Float8, values.AsSpan(0, filled).ToArray(), null);
            return new ResultBatch(columns, filled);
        }

        Start();
        var seriesValues = new string?[_labels.Length];
        foreach (var one in series)
        {
            for (var l = 0; l < _labels.Length; l++)
            {
                var value = one.Labels.Get(_labels[l]);
                seriesValues[l] = value.Length == 0 ? null : value;
            }

            for (var i = 0; i < one.Timestamps.Length; i++)
            {
                var value = one.Values[i];
                if (BitConverter.DoubleToUInt64Bits(value) == StaleMarkerBits)
                {
                    continue;
                }

                for (var l = 0; l < seriesValues.Length; l++)
                {
                    labelColumns[l][filled] = seriesValues[l];
                }

                ts[filled] = one.Timestamps[i] * 1000;
                values[filled] = value;
                if (++filled == BatchRows)
                {
                    yield return Finish();
                    Start();
                }
            }
        }

        if (filled > 0)
        {
            yield return Finish();
        }
    }

    private static SeriesMatcher ToMatcher(string label, ColumnFilter filter)
    {
        switch (filter.Op)
        {
            case ColumnFilterOp.Equal:
                return new SeriesMatcher(SeriesMatchType.Equal, label, filter.Values[0]);
            case ColumnFilterOp.NotEqual:
                return new SeriesMatcher(SeriesMatchType.NotEqual, label, filter.Values[0]);
            case ColumnFilterOp.In when filter.Values.Count == 1:
                return new SeriesMatcher(SeriesMatchType.Equal, label, filter.Values[0]);
            case ColumnFilterOp.In:
                var alternation = new StringBuilder("^(?:");
                for (var i = 0; i < filter.Values.Count; i++)
                {
                    alternation.Append(i == 0 ? string.Empty : "|").Append(Regex.Escape(filter.Values[i]));
                }

                var source = alternation.Append(")$").ToString();
                return new SeriesMatcher(SeriesMatchType.Regex, label, source, new Regex(source, RegexOptions.CultureInvariant));
            default:
                // SQL's ~ searches the value; the filter above decides the exact answer, this only narrows the series.
                var regex = PgRegex.Get(filter.Values[0], filter.IgnoreCase ? PgRegexFlags.IgnoreCase : PgRegexFlags.None).Compiled;

                return new SeriesMatcher(filter.Op == ColumnFilterOp.Regex ? SeriesMatchType.Regex : SeriesMatchType.NotRegex, label, filter.Values[0], regex);
        }
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static long CeilingDiv(long a, long b) => -FloorDiv(-a, b);
}
