using Apache.Arrow;
using Parquet.Schema;

namespace LumaDB.Storage.Segments;

/// <summary>
/// The shape of a segment: its columns, which of them form the primary key (in key order) and which one, if
/// any, is the time column used for time-range pruning.
/// </summary>
public sealed class SegmentSchema
{
    private readonly Dictionary<string, int> _byName;

    private SegmentSchema(IReadOnlyList<SegmentColumn> columns, IReadOnlyList<string> keyColumns, string? timeColumn)
    {
        Columns = columns;
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!_byName.TryAdd(column.Name, column.Index))
            {
                throw new ArgumentException($"Column '{column.Name}' appears twice.", nameof(columns));
            }
        }

        if (keyColumns.Count == 0)
        {
            throw new ArgumentException("A segment needs at least one primary-key column.", nameof(keyColumns));
        }

        KeyColumns = keyColumns.Select(Require).ToArray();
        TimeColumn = timeColumn is null ? -1 : Require(timeColumn);
        if (TimeColumn >= 0 && Columns[TimeColumn].Kind != SegmentColumnKind.TimestampMicros)
        {
            throw new ArgumentException($"Time column '{timeColumn}' must be a timestamp column.", nameof(timeColumn));
        }

        ArrowSchema = new Schema(columns.Select(c => new Apache.Arrow.Field(c.Name, c.ArrowType, c.IsNullable)), metadata: null);

        // Parquet.Net reads a column only through a field that belongs to a schema (it derives the definition
        // levels from it); the files themselves are written by ParquetFormat.ParquetFileWriter.
        _ = new ParquetSchema(columns.Select(c => (Parquet.Schema.Field)c.ParquetField));
    }

    /// <summary>Columns in schema order.</summary>
    public IReadOnlyList<SegmentColumn> Columns { get; }

    /// <summary>Indexes of the primary-key columns, in key order.</summary>
    public IReadOnlyList<int> KeyColumns { get; }

    /// <summary>Index of the time column, or -1 when the segment has none.</summary>
    public int TimeColumn { get; }

    /// <summary>The Arrow schema scans return (timestamps as microseconds, UTC).</summary>
    public Schema ArrowSchema { get; }

    /// <summary>Builds a segment schema from an Arrow schema.</summary>
    public static SegmentSchema FromArrow(Schema schema, IReadOnlyList<string> keyColumns, string? timeColumn)
    {
        var columns = new SegmentColumn[schema.FieldsList.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var field = schema.FieldsList[i];
            columns[i] = new SegmentColumn(i, field.Name, SegmentColumn.KindOf(field.Name, field.DataType), field.IsNullable);
        }

        return new SegmentSchema(columns, keyColumns, timeColumn);
    }

    internal static SegmentSchema FromParquet(
        ParquetSchema schema, IReadOnlyList<string> keyColumns, string? timeColumn, IReadOnlySet<string> int64Timestamps, IReadOnlySet<int>? binaryText = null)
    {
        var fields = schema.GetDataFields();
        var columns = new SegmentColumn[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var kind = SegmentColumn.KindOf(fields[i], int64Timestamps.Contains(fields[i].Name), binaryText?.Contains(i) == true);
            columns[i] = new SegmentColumn(
                i, fields[i].Name, kind, fields[i].IsNullable, timestampAsDateTime: fields[i] is DateTimeDataField,
                textAsString: fields[i].ClrType == typeof(ReadOnlyMemory<char>));
        }

        return new SegmentSchema(columns, keyColumns, timeColumn);
    }

    /// <summary>Index of the named column, or -1.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Index of the named column; throws when the schema has no such column.</summary>
    public int Require(string name) =>
        _byName.TryGetValue(name, out var index) ? index : throw new ArgumentException($"No column named '{name}'.", nameof(name));
}
