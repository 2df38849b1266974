using Apache.Arrow;

namespace LumaDB.Storage.Segments;

/// <summary>A <see cref="SegmentScan"/> resolved against one segment's schema: column indexes, checked types.</summary>
internal sealed class ScanPlan
{
    private ScanPlan(
        IReadOnlyList<int> outputColumns, Schema outputSchema, IReadOnlyList<int> neededColumns, TimeRange? time, KeyRange? keys,
        IReadOnlyList<(int Column, ColumnPredicate Predicate)> predicates, bool dictionaryText)
    {
        DictionaryText = dictionaryText;
        OutputColumns = outputColumns;
        OutputSchema = outputSchema;
        NeededColumns = neededColumns;
        Time = time;
        Keys = keys;
        Predicates = predicates;
    }

    public IReadOnlyList<int> OutputColumns { get; }

    /// <summary>See <see cref="SegmentScan.DictionaryText"/>.</summary>
    public bool DictionaryText { get; }

    public Schema OutputSchema { get; }

    /// <summary>Columns to decode: the output plus whatever the filters look at.</summary>
    public IReadOnlyList<int> NeededColumns { get; }

    public TimeRange? Time { get; }

    public KeyRange? Keys { get; }

    public IReadOnlyList<(int Column, ColumnPredicate Predicate)> Predicates { get; }

    public static ScanPlan Create(SegmentSchema schema, SegmentScan scan)
    {
        var output = scan.Columns?.Select(schema.Require).ToArray() ?? Enumerable.Range(0, schema.Columns.Count).ToArray();
        var needed = new SortedSet<int>(output);
        if (scan.Time is not null)
        {
            if (schema.TimeColumn < 0)
            {
                throw new ArgumentException("The scan has a time range but the segment has no time column.", nameof(scan));
            }

            needed.Add(schema.TimeColumn);
        }

        if (scan.Keys is not null)
        {
            needed.UnionWith(schema.KeyColumns);
        }

        var predicates = new List<(int, ColumnPredicate)>();
        foreach (var predicate in scan.Predicates)
        {
            var index = schema.Require(predicate.Column);
            var column = schema.Columns[index];
            if (column.IsBytes != (predicate.Kind == PredicateConstantKind.Bytes))
            {
                throw new ArgumentException($"Predicate '{predicate}' compares {column.Kind} column with a constant of another type.", nameof(scan));
            }

            predicates.Add((index, predicate));
            needed.Add(index);
        }

        var outputSchema = new Schema(output.Select(i => schema.ArrowSchema.FieldsList[i]), metadata: null);
        return new ScanPlan(output, outputSchema, needed.ToArray(), scan.Time, scan.Keys, predicates, scan.DictionaryText);
    }

    /// <summary>Whether the row group's statistics leave any chance that a row matches.</summary>
    public bool MayMatch(SegmentSchema schema, RowGroupFooter group)
    {
        var range = group.Range;
        if (Time is { } time && !(range.MinTimeMicros is { } min && range.MaxTimeMicros is { } max && time.Overlaps(min, max)))
        {
            return false;
        }

        if (Keys is { } keys && !keys.Overlaps(range.MinKey, range.MaxKey))
        {
            return false;
        }

        foreach (var (column, predicate) in Predicates)
        {
            if (!group.Columns[column].MayMatch(schema.Columns[column], predicate))
            {
                return false;
            }
        }

        return true;
    }
}
