using System.Buffers;
using System.Globalization;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// How a scan reaches its rows through the primary key, derived from the filter: either point lookups (every
/// key column pinned by <c>=</c> or <c>IN</c>) or one key range (a prefix of key columns pinned by <c>=</c>,
/// then optional bounds on the next key column). Values are constants or parameters, so a plan cached for a
/// prepared statement computes its keys per execution.
/// </summary>
internal sealed class KeyAccess
{
    /// <summary>The key columns' table ordinals, in key order.</summary>
    public required int[] KeyColumns { get; init; }

    /// <summary>The key columns' types.</summary>
    public required SqlType[] KeyTypes { get; init; }

    /// <summary>Point lookups: per key column, the values it may take (the keys are their cross product).</summary>
    public IReadOnlyList<BoundExpression>[]? Points { get; init; }

    /// <summary>Range access: values of the pinned prefix of key columns.</summary>
    public BoundExpression[] Prefix { get; init; } = [];

    /// <summary>Range access: lower bound on the key column after the prefix, and whether it is inclusive.</summary>
    public (BoundExpression Value, bool Inclusive)? Lower { get; init; }

    /// <summary>Range access: upper bound on the key column after the prefix, and whether it is inclusive.</summary>
    public (BoundExpression Value, bool Inclusive)? Upper { get; init; }

    /// <summary>The conditions used, as EXPLAIN prints them.</summary>
    public required string Condition { get; init; }

    /// <summary>Most point keys one lookup expands to before the planner prefers a range or a scan.</summary>
    public const int MaxPoints = 1024;

    /// <summary>
    /// The encoded keys (no table prefix) for point access, given the evaluated values per key column, in key
    /// order without duplicates. A null value, or one the column's type cannot hold (<c>int4_col = 1.5</c>, a
    /// bigint beyond int4), matches nothing, so tuples with one are dropped.
    /// </summary>
    public List<byte[]> EncodePoints(TableLayout layout, IReadOnlyList<object?>[] values)
    {
        var keys = new List<byte[]>();
        var encoder = RentEncoder(layout);
        var chosen = new object?[KeyTypes.Length];
        Expand(0);
        ReturnEncoder(encoder);
        if (keys.Count > 1)
        {
            keys.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));

            // IN lists may repeat a value; a key is looked up (and its row returned) once.
            for (var i = keys.Count - 1; i > 0; i--)
            {
                if (keys[i].AsSpan().SequenceEqual(keys[i - 1]))
                {
                    keys.RemoveAt(i);
                }
            }
        }

        return keys;

        void Expand(int column)
        {
            if (column == KeyTypes.Length)
            {
                keys.Add(encoder.Encode(KeyColumns.Length, chosen));
                return;
            }

            foreach (var value in values[column])
            {
                if (value is null || Coerce(KeyTypes[column], value, Rounding.Exact) is not { } coerced)
                {
                    continue;
                }

                chosen[column] = coerced;
                Expand(column + 1);
            }
        }
    }

    /// <summary>The one key of a point lookup on a single-column key, or null when the value matches nothing.</summary>
    public byte[]? EncodePoint(TableLayout layout, object? value)
    {
        if (value is null || KeyTypes.Length != 1 || Coerce(KeyTypes[0], value, Rounding.Exact) is not { } coerced)
        {
            return null;
        }

        var encoder = RentEncoder(layout);
        var key = encoder.Encode(coerced);
        ReturnEncoder(encoder);
        return key;
    }

    /// <summary>
    /// The key range for range access, or null when no row can match (a NULL bound or prefix value, or a prefix
    /// value the column cannot hold). A bound the column cannot hold exactly is widened (the scan's filter
    /// still applies every condition).
    /// </summary>
    public KeyRange? EncodeRange(TableLayout layout, object?[] prefix, (object? Value, bool Inclusive)? lower, (object? Value, bool Inclusive)? upper)
    {
        var encoder = RentEncoder(layout);
        try
        {
            var chosen = new object?[prefix.Length + 1];
            for (var c = 0; c < prefix.Length; c++)
            {
                if (prefix[c] is not { } value || Coerce(KeyTypes[c], value, Rounding.Exact) is not { } coerced)
                {
                    return null;
                }

                chosen[c] = coerced;
            }

            var prefixBytes = prefix.Length == 0 ? [] : encoder.Encode(prefix.Length, chosen);
            var next = KeyTypes.Length > prefix.Length ? KeyTypes[prefix.Length] : null;
            byte[]? low = prefixBytes.Length == 0 ? null : prefixBytes;
            byte[]? high = prefixBytes.Length == 0 ? null : KeyRange.Successor(prefixBytes);
            if (lower is { } l && next is not null)
            {
                if (l.Value is null)
                {
                    return null;
                }

                if (Coerce(next, l.Value, Rounding.Down) is { } bound)
                {
                    chosen[prefix.Length] = bound;
                    var key = encoder.Encode(prefix.Length + 1, chosen);
                    low = l.Inclusive || !Equals(bound, l.Value) ? key : KeyRange.Successor(key);
                }
            }

            if (upper is { } u && next is not null)
            {
                if (u.Value is null)
                {
                    return null;
                }

                if (Coerce(next, u.Value, Rounding.Up) is { } bound)
                {
                    chosen[prefix.Length] = bound;
                    var key = encoder.Encode(prefix.Length + 1, chosen);
                    high = u.Inclusive || !Equals(bound, u.Value) ? KeyRange.Successor(key) : key;
                }
            }

            return new KeyRange(low, high);
        }
        finally
        {
            ReturnEncoder(encoder);
        }
    }

    /// <summary>
    /// Whether a key column of this type can be reached through the key encoding: its stored form is equal for
    /// equal SQL values and sorts as SQL sorts them. Numeric (stored as text) and the other text-stored kinds
    /// are not; they are scanned.
    /// </summary>
    public static bool Supports(SqlType type) => type.Kind is SqlTypeKind.Boolean or SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8
        or SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Date or SqlTypeKind.Time
        or SqlTypeKind.Text or SqlTypeKind.Varchar or SqlTypeKind.Uuid or SqlTypeKind.Bytea;

    private enum Rounding
    {
        /// <summary>The value must be representable in the column's type, or it matches nothing.</summary>
        Exact,

        /// <summary>A lower bound: round down, or drop the bound when the value is below the type's range.</summary>
        Down,

        /// <summary>An upper bound: round up, or drop the bound when the value is above the type's range.</summary>
        Up,
    }

    /// <summary>
    /// The value in the CLR shape the column's type stores (what <see cref="StorageValues.Write"/> expects), or
    /// null when there is none: not representable for <see cref="Rounding.Exact"/>, no bound needed otherwise.
    /// </summary>
    private static object? Coerce(SqlType type, object value, Rounding rounding)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Int2: return Integer(value, short.MinValue, short.MaxValue, rounding) is { } s ? (short)s : null;
            case SqlTypeKind.Int4: return Integer(value, int.MinValue, int.MaxValue, rounding) is { } i ? (int)i : null;
            case SqlTypeKind.Int8: return Integer(value, long.MinValue, long.MaxValue, rounding);
            case SqlTypeKind.Float4: return value is IConvertible ? Convert.ToSingle(value, CultureInfo.InvariantCulture) : null;
            case SqlTypeKind.Float8: return value is IConvertible ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : null;
            case SqlTypeKind.Date: return value is int or short ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;
            case SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz:
                return value is long or int ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;
            case SqlTypeKind.Boolean: return value as bool?;
            case SqlTypeKind.Uuid: return value as Guid?;
            case SqlTypeKind.Bytea: return value as byte[];
            default: return value as string;
        }
    }

    private static long? Integer(object value, long min, long max, Rounding rounding)
    {
        decimal number;
        switch (value)
        {
            case long l: number = l; break;
            case int i: number = i; break;
            case short s: number = s; break;
            case decimal d: number = d; break;
            case double d when double.IsFinite(d) && Math.Abs(d) < 1e28: number = (decimal)d; break;
            case float f when float.IsFinite(f) && Math.Abs(f) < 1e28f: number = (decimal)f; break;
            default: return null;
        }

        var whole = rounding switch
        {
            Rounding.Down => Math.Floor(number),
            Rounding.Up => Math.Ceiling(number),
            _ => number,
        };
        if (whole != number && rounding == Rounding.Exact)
        {
            return null;
        }

        // Beyond the type's range: an equality matches nothing, a bound on that side bounds nothing.
        if (whole < min || whole > max)
        {
            return null;
        }

        return (long)whole;
    }

    private KeyEncoder RentEncoder(TableLayout layout)
    {
        var encoder = Interlocked.Exchange(ref _encoder, null);
        return encoder is not null && ReferenceEquals(encoder.Layout, layout) ? encoder : new KeyEncoder(layout, KeyColumns, KeyTypes);
    }

    private void ReturnEncoder(KeyEncoder encoder) => _encoder = encoder;

    private KeyEncoder? _encoder;

    /// <summary>
    /// Encodes key values as writers do: the values go into a storage row through <see cref="StorageValues.Write"/>
    /// and the key is cut from the row by the layout's codec, as <see cref="Storage.Shards.Shard.PrimaryKeyOf"/>
    /// does for every row written, so a lookup key is byte-equal to the stored key. Reused across executions.
    /// </summary>
    private sealed class KeyEncoder
    {
        private readonly RowBuilder _row;
        private readonly int[] _keyColumns;
        private readonly SqlType[] _types;
        private readonly ArrayBufferWriter<byte> _rowBytes = new(128);

        public KeyEncoder(TableLayout layout, int[] keyColumns, SqlType[] types)
        {
            Layout = layout;
            _row = new RowBuilder(layout);
            _keyColumns = keyColumns;
            _types = types;
        }

        public TableLayout Layout { get; }

        public byte[] Encode(object value) => Encode(1, [value]);

        /// <summary>The key of the first <paramref name="count"/> key columns (a prefix of the full key for ranges).</summary>
        public byte[] Encode(int count, object?[] values)
        {
            // Every column gets a placeholder so the row encodes; only the key columns are read back.
            _row.Reset();
            var columns = Layout.Columns;
            for (var c = 0; c < columns.Count; c++)
            {
                SetPlaceholder(c, columns[c].Kind);
            }

            for (var k = 0; k < _keyColumns.Length; k++)
            {
                var value = k < count ? values[k] : null;
                if (value is null)
                {
                    SetPlaceholder(_keyColumns[k], columns[_keyColumns[k]].Kind);
                    continue;
                }

                StorageValues.Write(_row, _keyColumns[k], _types[k], value);
            }

            _rowBytes.ResetWrittenCount();
            _row.Encode(_rowBytes);
            var full = Shard.PrimaryKeyOf(Layout, _rowBytes.WrittenSpan);
            if (count == _keyColumns.Length)
            {
                return full;
            }

            // A prefix: the elements of the first count key columns.
            var length = 0;
            for (var k = 0; k < count; k++)
            {
                length += ElementLength(full.AsSpan(length));
            }

            return full[..length];
        }

        /// <summary>Bytes of the key element at the start of <paramref name="key"/> (tag, body, terminator).</summary>
        private static int ElementLength(ReadOnlySpan<byte> key)
        {
            switch ((KeyElementKind)key[0])
            {
                case KeyElementKind.Null or KeyElementKind.False or KeyElementKind.True: return 1;
                case KeyElementKind.Int16: return 3;
                case KeyElementKind.Int32: return 5;
                case KeyElementKind.Text or KeyElementKind.Bytes:
                    // Escaped body: a 0x00 byte is written as 0x00 0xFF; a lone 0x00 ends it.
                    for (var i = 1; i < key.Length; i++)
                    {
                        if (key[i] == 0 && (i + 1 >= key.Length || key[i + 1] != 0xFF))
                        {
                            return i + 1;
                        }

                        if (key[i] == 0)
                        {
                            i++;
                        }
                    }

                    return key.Length;
                default: return 9;
            }
        }

        private void SetPlaceholder(int column, SegmentColumnKind kind) => StorageValues.WritePlaceholder(_row, column, kind);
    }
}
