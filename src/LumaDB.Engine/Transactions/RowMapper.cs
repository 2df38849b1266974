using LumaDB.Engine.Catalog;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// Rewrites rows of one table definition into another's layout, matching columns by name (or through the
/// renames the ALTER made): columns only the
/// target has get the value the ALTER gave them (its DEFAULT), or null; values widen between compatible storage kinds (smaller to larger integers, float to
/// double, text and bytes). Anything else is refused when the ALTER is made, not at commit.
/// </summary>
internal sealed class RowMapper
{
    private readonly TableDefinition _source;
    private readonly TableDefinition _target;
    private readonly int[] _sourceOf;
    private readonly Action<RowBuilder, int>?[] _added;
    private readonly RowBuilder _builder;

    public RowMapper(
        TableDefinition source, TableDefinition target, IReadOnlyDictionary<string, Action<RowBuilder, int>>? addedValues = null, IReadOnlyDictionary<string, string?>? origins = null)
    {
        _source = source;
        _target = target;
        _sourceOf = [.. target.Columns.Select(c => SourceOf(source, c.Name, origins))];
        _added = [.. target.Columns.Select((c, i) => _sourceOf[i] < 0 ? addedValues?.GetValueOrDefault(c.Name) : null)];
        _builder = new RowBuilder(target.Layout);
    }

    /// <summary>
    /// The source column a target column takes its values from: the one named in <paramref name="origins"/>
    /// (a renamed column's old name; null for a column added new), otherwise the one of the same name, or -1.
    /// </summary>
    private static int SourceOf(TableDefinition source, string name, IReadOnlyDictionary<string, string?>? origins) =>
        origins is not null && origins.TryGetValue(name, out var origin) ? (origin is null ? -1 : source.IndexOf(origin)) : source.IndexOf(name);

    /// <summary>Throws when a column kept (by name or through a rename) cannot be converted to its new storage kind.</summary>
    public static void Check(TableDefinition source, TableDefinition target, IReadOnlyDictionary<string, string?>? origins = null)
    {
        foreach (var column in target.Columns)
        {
            var from = SourceOf(source, column.Name, origins);
            if (from >= 0 && !Convertible(source.Columns[from].StorageKind, column.StorageKind))
            {
                throw new CatalogException(
                    CatalogErrorKind.Invalid, $"column \"{column.Name}\" cannot be changed from {source.Columns[from].TypeName} to {column.TypeName} in place");
            }
        }
    }

    public byte[] Map(byte[] row)
    {
        var codec = _source.Layout.Codec;
        _builder.Reset();
        for (var c = 0; c < _sourceOf.Length; c++)
        {
            var from = _sourceOf[c];
            if (from < 0 && _added[c] is { } added)
            {
                added(_builder, c);
                continue;
            }

            if (from < 0 || codec.IsNull(row, from))
            {
                _builder.SetNull(c);
                continue;
            }

            switch (_target.Columns[c].StorageKind)
            {
                case SegmentColumnKind.Boolean: _builder.SetBoolean(c, codec.GetBoolean(row, from)); break;
                case SegmentColumnKind.Int16: _builder.SetInt16(c, checked((short)codec.GetInt64(row, from))); break;
                case SegmentColumnKind.Int32: _builder.SetInt32(c, checked((int)codec.GetInt64(row, from))); break;
                case SegmentColumnKind.Int64: _builder.SetInt64(c, codec.GetInt64(row, from)); break;
                case SegmentColumnKind.UInt64: _builder.SetUInt64(c, codec.GetUInt64(row, from)); break;
                case SegmentColumnKind.Float32: _builder.SetFloat32(c, (float)codec.GetFloat64(row, from)); break;
                case SegmentColumnKind.Float64: _builder.SetFloat64(c, codec.GetFloat64(row, from)); break;
                case SegmentColumnKind.TimestampMicros: _builder.SetTimestamp(c, codec.GetInt64(row, from)); break;
                default: _builder.SetBytes(c, codec.GetBytes(row, from)); break;
            }
        }

        try
        {
            return _builder.ToArray();
        }
        catch (ArgumentException error)
        {
            for (var c = 0; c < _target.Columns.Count; c++)
            {
                if (!_target.Layout.Columns[c].IsNullable && !_builder.HasValue(c))
                {
                    // As PostgreSQL words it when ADD COLUMN ... NOT NULL or SET NOT NULL meets existing rows.
                    throw new CatalogException(CatalogErrorKind.NotNullViolation, $"column \"{_target.Columns[c].Name}\" of relation \"{_target.Name}\" contains null values");
                }
            }

            throw new CatalogException(CatalogErrorKind.Invalid, $"existing rows of \"{_target.Name}\" do not fit the new definition: {error.Message}");
        }
    }

    private static bool Convertible(SegmentColumnKind from, SegmentColumnKind to) => from == to || (from, to) switch
    {
        (SegmentColumnKind.Int16, SegmentColumnKind.Int32 or SegmentColumnKind.Int64) => true,
        (SegmentColumnKind.Int32, SegmentColumnKind.Int64) => true,
        (SegmentColumnKind.Float32, SegmentColumnKind.Float64) => true,
        (SegmentColumnKind.Utf8, SegmentColumnKind.Binary) or (SegmentColumnKind.Binary, SegmentColumnKind.Utf8) => true,
        _ => false,
    };
}
