using System.Buffers;
using System.Globalization;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Memtables;
using LumaDB.Storage.Segments;

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
    /// The encoded keys (no table prefix) for point access, given the evaluated values per key column;
    /// a null value matches nothing, so tuples with one are dropped.
    /// </summary>
    public static List<byte[]> EncodePoints(SqlType[] types, IReadOnlyList<object?>[] values)
    {
        var keys = new List<byte[]>();
        var writer = new ArrayBufferWriter<byte>(64);
        var chosen = new object?[types.Length];
        Expand(0);
        keys.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));

        // IN lists may repeat a value; a key is looked up (and its row returned) once.
        for (var i = keys.Count - 1; i > 0; i--)
        {
            if (keys[i].AsSpan().SequenceEqual(keys[i - 1]))
            {
                keys.RemoveAt(i);
            }
        }

        return keys;

        void Expand(int column)
        {
            if (column == types.Length)
            {
                writer.ResetWrittenCount();
                for (var c = 0; c < types.Length; c++)
                {
                    Write(writer, types[c], chosen[c]!);
                }

                keys.Add(writer.WrittenSpan.ToArray());
                return;
            }

            foreach (var value in values[column])
            {
                if (value is null)
                {
                    continue;
                }

                chosen[column] = value;
                Expand(column + 1);
            }
        }
    }

    /// <summary>The key range for range access, or null when a bound is NULL (no row can match).</summary>
    public static KeyRange? EncodeRange(SqlType[] types, object?[] prefix, (object? Value, bool Inclusive)? lower, (object? Value, bool Inclusive)? upper)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        for (var c = 0; c < prefix.Length; c++)
        {
            if (prefix[c] is not { } value)
            {
                return null;
            }

            Write(writer, types[c], value);
        }

        var prefixBytes = writer.WrittenSpan.ToArray();
        var next = types.Length > prefix.Length ? types[prefix.Length] : null;
        byte[]? low = prefixBytes.Length == 0 ? null : prefixBytes;
        byte[]? high = prefixBytes.Length == 0 ? null : Successor(prefixBytes);
        if (lower is { } l && next is not null)
        {
            if (l.Value is null)
            {
                return null;
            }

            var bound = Bound(writer, prefixBytes, next, l.Value);
            low = l.Inclusive ? bound : Successor(bound);
        }

        if (upper is { } u && next is not null)
        {
            if (u.Value is null)
            {
                return null;
            }

            var bound = Bound(writer, prefixBytes, next, u.Value);
            high = u.Inclusive ? Successor(bound) : bound;
        }

        return new KeyRange(low, high);
    }

    /// <summary>Whether a key column of this type can be encoded from a SQL value in key order.</summary>
    public static bool Supports(SqlType type) => type.Kind is SqlTypeKind.Boolean or SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8
        or SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz or SqlTypeKind.Date or SqlTypeKind.Time
        or SqlTypeKind.Text or SqlTypeKind.Varchar;

    private static byte[] Bound(ArrayBufferWriter<byte> writer, byte[] prefix, SqlType type, object value)
    {
        writer.ResetWrittenCount();
        writer.Write(prefix);
        Write(writer, type, value);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The smallest byte string above every string that starts with <paramref name="key"/>; null when there is none.</summary>
    private static byte[]? Successor(byte[] key)
    {
        var end = key.Length;
        while (end > 0 && key[end - 1] == 0xFF)
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        var result = key[..end];
        result[end - 1]++;
        return result;
    }

    // Mirrors how the row codec encodes key columns of each storage kind (see StorageValues for the kinds).
    private static void Write(IBufferWriter<byte> writer, SqlType type, object value)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean: KeyEncoding.WriteBoolean(writer, (bool)value); break;
            case SqlTypeKind.Int2: KeyEncoding.WriteInt16(writer, Convert.ToInt16(value, CultureInfo.InvariantCulture)); break;
            case SqlTypeKind.Int4 or SqlTypeKind.Date: KeyEncoding.WriteInt32(writer, Convert.ToInt32(value, CultureInfo.InvariantCulture)); break;
            case SqlTypeKind.Int8 or SqlTypeKind.Time: KeyEncoding.WriteInt64(writer, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case SqlTypeKind.Float4: KeyEncoding.WriteFloat64(writer, Convert.ToSingle(value, CultureInfo.InvariantCulture)); break;
            case SqlTypeKind.Float8: KeyEncoding.WriteFloat64(writer, Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz: KeyEncoding.WriteTimestamp(writer, Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            default: KeyEncoding.WriteText(writer, (string)value); break;
        }
    }
}
