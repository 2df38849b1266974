using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// The part of a scan's filter that reads only primary-key columns (the time range when the time is in the key,
/// predicates on key columns). Every version of a key holds the same values there, so a segment version that
/// fails it has no version that passes: the merge can pass over it before building its key, and a scan over a
/// narrow time range or key-column value skips most of the merge.
/// </summary>
internal sealed class KeyColumnFilter
{
    private readonly TableLayout _table;
    private readonly (int Column, ColumnPredicate Predicate)[] _predicates;

    private KeyColumnFilter(TableLayout table, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates)
    {
        _table = table;
        Time = time;
        _predicates = predicates;
    }

    /// <summary>
    /// The scan's time range when the time is in the key, else null: segments and row groups wholly outside it
    /// can neither return a row nor hide one, so scans skip them unread too.
    /// </summary>
    public TimeRange? Time { get; }

    /// <summary>
    /// The key-column part of a scan's time range and predicates on <paramref name="table"/>; null when nothing
    /// of it reads key columns alone. Float key columns are left to the filter after the merge: values the key
    /// encoding makes equal (0.0 and -0.0) need not compare alike.
    /// </summary>
    public static KeyColumnFilter? For(TableLayout table, TimeRange? time, (int Column, ColumnPredicate Predicate)[] predicates)
    {
        var keyTime = table.TimeInKey ? time : null;
        var keyPredicates = predicates
            .Where(p => table.PrimaryKey.Contains(p.Column) && table.Columns[p.Column].Kind is not (SegmentColumnKind.Float32 or SegmentColumnKind.Float64))
            .ToArray();
        return keyTime is null && keyPredicates.Length == 0 ? null : new KeyColumnFilter(table, keyTime, keyPredicates);
    }

    /// <summary>
    /// Sets <paramref name="passes"/>[i] for each of the first <paramref name="rows"/> rows of decoded columns (views
    /// of the table's columns, in order) to whether it passes: the time range over the time column's values in one
    /// loop, then the predicates on the rows still in.
    /// </summary>
    public void Mark(ReadOnlySpan<ArrowColumnView> columns, int rows, Span<bool> passes)
    {
        passes = passes[..rows];
        if (Time is { } range)
        {
            var times = columns[_table.TimeColumn];
            var values = times.Int64Values(rows);
            for (var i = 0; i < rows; i++)
            {
                passes[i] = times.IsValid(i) && range.Contains(values[i]);
            }
        }
        else
        {
            passes.Fill(true);
        }

        if (_predicates.Length > 0)
        {
            for (var i = 0; i < rows; i++)
            {
                passes[i] = passes[i] && ShardRowFilter.Matches(_table, columns, i, null, _predicates);
            }
        }
    }
}
