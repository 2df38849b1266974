using System.Buffers;
using Apache.Arrow;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>
/// A table's physical description for storage: id, columns, primary-key ordinals and optional time column,
/// with the row codec and the segment schema derived from them.
/// </summary>
/// <remarks>
/// Segments of the table carry three system columns after the table's own: <c>_luma_table</c> (the table id,
/// first key column, so a segment's encoded keys equal the shard memtable's keys byte for byte),
/// <c>_luma_seq</c> (the commit seq of the version) and <c>_luma_deleted</c> (true for a tombstone, which stays
/// in segments until compaction so a delete keeps hiding older versions).
/// </remarks>
public sealed class TableLayout
{
    /// <summary>Name of the system column holding the table id.</summary>
    public const string TableIdColumnName = "_luma_table";

    /// <summary>Name of the system column holding a version's commit seq.</summary>
    public const string SeqColumnName = "_luma_seq";

    /// <summary>Name of the system column marking tombstones.</summary>
    public const string DeletedColumnName = "_luma_deleted";

    private const string ReservedPrefix = "_luma_";

    /// <summary>Creates a layout; throws when the columns, key or time column are inconsistent.</summary>
    public TableLayout(ulong tableId, IReadOnlyList<TableColumn> columns, IReadOnlyList<int> primaryKey, int timeColumn = -1)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(primaryKey);
        if (tableId == ulong.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(tableId), "The largest table id is reserved as a key bound.");
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (string.IsNullOrEmpty(column.Name) || column.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal) || !names.Add(column.Name))
            {
                throw new ArgumentException($"Column name '{column.Name}' is empty, reserved or repeated.", nameof(columns));
            }
        }

        if (primaryKey.Count == 0 || primaryKey.Any(i => i < 0 || i >= columns.Count) || primaryKey.Distinct().Count() != primaryKey.Count)
        {
            throw new ArgumentException("The primary key needs one or more distinct column ordinals.", nameof(primaryKey));
        }

        if (timeColumn >= columns.Count || (timeColumn >= 0 && columns[timeColumn].Kind != SegmentColumnKind.TimestampMicros))
        {
            throw new ArgumentException("The time column must be a timestamp column of the table.", nameof(timeColumn));
        }

        TableId = tableId;
        Columns = columns.ToArray();
        PrimaryKey = primaryKey.ToArray();
        TimeColumn = timeColumn < 0 ? -1 : timeColumn;
        TimeInKey = TimeColumn >= 0 && PrimaryKey.Contains(TimeColumn);
        KeyPrefix = EncodePrefix(tableId);
        KeyEnd = EncodePrefix(tableId + 1);

        var fields = Columns.Select(c => new Field(c.Name, ArrowTypeOf(c.Kind), c.IsNullable)).ToList();
        ArrowSchema = new Schema(fields, metadata: null);
        fields.Add(new Field(TableIdColumnName, ArrowTypeOf(SegmentColumnKind.UInt64), nullable: false));
        fields.Add(new Field(SeqColumnName, ArrowTypeOf(SegmentColumnKind.UInt64), nullable: false));
        fields.Add(new Field(DeletedColumnName, ArrowTypeOf(SegmentColumnKind.Boolean), nullable: false));
        var keyNames = new List<string> { TableIdColumnName };
        keyNames.AddRange(PrimaryKey.Select(i => Columns[i].Name));
        SegmentSchema = SegmentSchema.FromArrow(new Schema(fields, metadata: null), keyNames, TimeColumn >= 0 ? Columns[TimeColumn].Name : null);
        Codec = new RowCodec(this);
    }

    /// <summary>The table id; the first element of every key of the table.</summary>
    public ulong TableId { get; }

    /// <summary>The table's columns, in row order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>Ordinals of the primary-key columns, in key order.</summary>
    public IReadOnlyList<int> PrimaryKey { get; }

    /// <summary>Ordinal of the time column, or -1.</summary>
    public int TimeColumn { get; }

    /// <summary>
    /// Whether the time column is part of the primary key. Every version of a key then has the same time, so a
    /// segment or row group whose times all lie outside a scan's time range can neither return a row nor hide one
    /// the scan returns, and scans skip it unopened (otherwise a newer version outside the range may hide an older
    /// one inside it, and every segment must take part in the merge).
    /// </summary>
    public bool TimeInKey { get; }

    /// <summary>The Arrow schema of scan results (the table's columns only).</summary>
    public Schema ArrowSchema { get; }

    /// <summary>Encodes and decodes this table's rows.</summary>
    public RowCodec Codec { get; }

    /// <summary>Schema of this table's segments: its columns plus the system columns.</summary>
    internal SegmentSchema SegmentSchema { get; }

    /// <summary>The encoded table id every key of the table starts with.</summary>
    internal byte[] KeyPrefix { get; }

    /// <summary>The first key after every key of the table (the next table id's prefix).</summary>
    internal byte[] KeyEnd { get; }

    /// <summary>Index of a column by name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads the table id a shard key starts with.</summary>
    internal static ulong TableIdOf(ReadOnlySpan<byte> key) => new KeyReader(key).ReadUInt64();

    /// <summary>The shard keys of a range of this table's primary keys (null: the whole table).</summary>
    internal KeyRange ShardKeyRange(KeyRange? primaryKeys) => new(
        primaryKeys?.Lower is { } lower ? ShardKey(lower) : KeyPrefix,
        primaryKeys?.Upper is { } upper ? ShardKey(upper) : KeyEnd);

    /// <summary>The shard key of a primary key of this table: table prefix, then the primary-key bytes.</summary>
    internal byte[] ShardKey(ReadOnlySpan<byte> primaryKey)
    {
        var key = new byte[KeyPrefix.Length + primaryKey.Length];
        KeyPrefix.CopyTo(key, 0);
        primaryKey.CopyTo(key.AsSpan(KeyPrefix.Length));
        return key;
    }

    internal static Apache.Arrow.Types.IArrowType ArrowTypeOf(SegmentColumnKind kind) => kind switch
    {
        SegmentColumnKind.Boolean => Apache.Arrow.Types.BooleanType.Default,
        SegmentColumnKind.Int16 => Apache.Arrow.Types.Int16Type.Default,
        SegmentColumnKind.Int32 => Apache.Arrow.Types.Int32Type.Default,
        SegmentColumnKind.Int64 => Apache.Arrow.Types.Int64Type.Default,
        SegmentColumnKind.UInt64 => Apache.Arrow.Types.UInt64Type.Default,
        SegmentColumnKind.Float32 => Apache.Arrow.Types.FloatType.Default,
        SegmentColumnKind.Float64 => Apache.Arrow.Types.DoubleType.Default,
        SegmentColumnKind.Utf8 => Apache.Arrow.Types.StringType.Default,
        SegmentColumnKind.Binary => Apache.Arrow.Types.BinaryType.Default,
        SegmentColumnKind.TimestampMicros => SegmentColumn.TimestampMicrosUtc,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] EncodePrefix(ulong tableId)
    {
        var writer = new ArrayBufferWriter<byte>(9);
        KeyEncoding.WriteUInt64(writer, tableId);
        return writer.WrittenSpan.ToArray();
    }
}
