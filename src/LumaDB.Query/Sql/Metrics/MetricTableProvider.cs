using System.Diagnostics.CodeAnalysis;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Metrics;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Metrics;

/// <summary>
/// Metrics as read-only SQL tables. Every metric name is a table in schema <c>metrics</c> (also found unqualified
/// and as <c>public.name</c> when no user table or view has that name) whose columns are the metric's label names
/// (text, the union over its series; NULL where a series lacks the label), <c>ts</c> (timestamptz) and
/// <c>value</c> (double precision). Equality, regex and IN predicates on labels go to the series index and bounds
/// on <c>ts</c> narrow the samples read. <c>luma_metrics</c> lists the metrics with their metadata.
/// </summary>
public sealed class MetricTableProvider : IPushdownTableProvider
{
    /// <summary>The schema that always names metric tables, even when a user table shadows the bare name.</summary>
    public const string MetricsSchema = "metrics";

    /// <summary>The table listing every metric with its TYPE, HELP, UNIT, label names and series count.</summary>
    public const string ListingTable = "luma_metrics";

    private const string TimeColumn = "ts";
    private const string ValueColumn = "value";

    private static readonly ResultColumn[] ListingColumns =
    [
        new("metric", SqlType.Text), new("type", SqlType.Text), new("help", SqlType.Text), new("unit", SqlType.Text),
        new("labels", SqlType.ArrayOf(SqlType.Text)), new("series", SqlType.Int8),
    ];

    private readonly IMetricSource _source;

    /// <summary>Creates a provider over <paramref name="source"/>.</summary>
    public MetricTableProvider(IMetricSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>Earliest and latest time reads ask for when the query gives no bound (ms).</summary>
    internal const long MinTime = long.MinValue / 2;

    /// <inheritdoc cref="MinTime"/>
    internal const long MaxTime = long.MaxValue / 2;

    /// <inheritdoc/>
    public bool TryResolve(string? schema, string name, [NotNullWhen(true)] out SystemTable? table) =>
        TryResolve(schema, name, null, out table, out _);

    /// <inheritdoc/>
    public bool TryResolve(string? schema, string name, CatalogSnapshot? catalog, [NotNullWhen(true)] out SystemTable? table, out IFilteredRowSource? filtered)
    {
        table = null;
        filtered = null;
        if (schema is not (null or CatalogSnapshot.PublicSchema or MetricsSchema))
        {
            return false;
        }

        // A user's table or view keeps its name; metrics.<name> still reaches the metric.
        if (schema != MetricsSchema && catalog is not null
            && (catalog.FindTable(CatalogSnapshot.PublicSchema, name) is not null || catalog.FindView(CatalogSnapshot.PublicSchema, name) is not null))
        {
            return false;
        }

        if (name == ListingTable)
        {
            table = new SystemTable(MetricsSchema, ListingTable, ListingColumns, _ => ListMetrics());
            return true;
        }

        var labelNames = _source.LabelNames([[NameMatcher(name)]], MinTime, MaxTime);
        if (labelNames.Count == 0)
        {
            return false;
        }

        var source = new MetricTableSource(_source, name, labelNames);
        filtered = source;
        table = new SystemTable(MetricsSchema, name, source.Columns, context => source.Rows(context, SystemTableFilter.None));
        return true;
    }

    internal static SeriesMatcher NameMatcher(string metric) => new(SeriesMatchType.Equal, LabelSet.MetricName, metric);

    /// <summary>The column name of a label: the label's own, unless it would clash with <c>ts</c> or <c>value</c>.</summary>
    internal static string ColumnOf(string label) => label is TimeColumn or ValueColumn ? "label_" + label : label;

    private IEnumerable<ResultBatch> ListMetrics()
    {
        var names = _source.LabelValues(LabelSet.MetricName, [], MinTime, MaxTime);
        var metadata = _source.Metadata(null);
        var rows = new List<object?[]>(names.Count);
        foreach (var name in names)
        {
            var series = _source.Series([[NameMatcher(name)]], MinTime, MaxTime);
            var labels = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var set in series)
            {
                foreach (var label in set.Labels)
                {
                    if (label.Name != LabelSet.MetricName)
                    {
                        labels.Add(ColumnOf(label.Name));
                    }
                }
            }

            var meta = FindMetadata(metadata, name);
            rows.Add([name, meta?.Type, meta?.Help, meta?.Unit, labels.Cast<object?>().ToArray(), (long)series.Count]);
        }

        var columns = new Execution.ColumnVector[ListingColumns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var column = c;
            columns[c] = Execution.ColumnVector.FromValues(ListingColumns[c].Type, rows.Select(r => r[column]).ToArray());
        }

        return [new ResultBatch(columns, rows.Count)];
    }

    /// <summary>The metadata of a metric: its own name, else its family's (a counter's <c>_total</c>, a histogram's <c>_bucket</c>, ...).</summary>
    private static MetricMetadata? FindMetadata(IReadOnlyDictionary<string, IReadOnlyList<MetricMetadata>> metadata, string name)
    {
        if (metadata.TryGetValue(name, out var own) && own.Count > 0)
        {
            return own[0];
        }

        foreach (var suffix in (ReadOnlySpan<string>)["_total", "_bucket", "_sum", "_count", "_created", "_info"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && metadata.TryGetValue(name[..^suffix.Length], out var family) && family.Count > 0)
            {
                return family[0];
            }
        }

        return null;
    }
}
