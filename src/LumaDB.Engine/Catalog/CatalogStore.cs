using System.Collections.Immutable;
using System.Text;
using Apache.Arrow;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Catalog;

/// <summary>
/// Keeps the catalog in the shard as a system table, so DDL commits in the same WAL record as the data it goes
/// with and recovers like any table (WAL replay over segments).
/// </summary>
/// <remarks>
/// Table <see cref="CatalogTableId"/> has key (kind, id, name) and a binary body: kind 1 is the id counter,
/// 2 a schema (by name), 3 a table, 4 a view, 5 an index (by id), 6 a role (by name), 7 a retired table layout
/// (a dropped or rewritten table whose rows or tombstones storage may still hold; flushes need its layout), 8 a
/// sequence's definition (its value is kept apart, in <see cref="SequenceStore"/>).
/// Bodies are a version byte then fields in a fixed order, strings length-prefixed UTF-8.
/// </remarks>
internal static class CatalogStore
{
    /// <summary>The catalog's own table id.</summary>
    public const ulong CatalogTableId = 1;

    /// <summary>Ids below this are reserved for system tables.</summary>
    public const ulong FirstUserId = 16;

    private const int CounterKind = 1;
    private const int SchemaKind = 2;
    private const int TableKind = 3;
    private const int ViewKind = 4;
    private const int IndexKind = 5;
    private const int RoleKind = 6;
    private const int RetiredKind = 7;
    private const int SequenceKind = 8;
    private const byte FormatVersion = 1;

    /// <summary>Layout of the catalog table.</summary>
    public static TableLayout Layout { get; } = new(
        CatalogTableId,
        [
            new TableColumn("kind", SegmentColumnKind.Int32, IsNullable: false),
            new TableColumn("id", SegmentColumnKind.UInt64, IsNullable: false),
            new TableColumn("name", SegmentColumnKind.Utf8, IsNullable: false),
            new TableColumn("body", SegmentColumnKind.Binary, IsNullable: false),
        ],
        [0, 1, 2]);

    /// <summary>Reads the committed catalog at <paramref name="seq"/>; null when the shard has none yet.</summary>
    public static async Task<CatalogSnapshot?> LoadAsync(Shard shard, ulong seq, CancellationToken cancellationToken)
    {
        var nextId = 0UL;
        var schemas = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var tables = ImmutableDictionary.CreateBuilder<ulong, TableDefinition>();
        var views = ImmutableDictionary.CreateBuilder<ulong, ViewDefinition>();
        var indexes = ImmutableDictionary.CreateBuilder<ulong, IndexDefinition>();
        var roles = ImmutableDictionary.CreateBuilder<string, RoleDefinition>(StringComparer.Ordinal);
        var retired = ImmutableDictionary.CreateBuilder<ulong, TableDefinition>();
        var sequences = ImmutableDictionary.CreateBuilder<ulong, SequenceDefinition>();
        await foreach (var batch in shard.ScanAsync(Layout, null, seq, cancellationToken).ConfigureAwait(false))
        {
            var kinds = (Int32Array)batch.Column(0);
            var ids = (UInt64Array)batch.Column(1);
            var names = (StringArray)batch.Column(2);
            var bodies = (BinaryArray)batch.Column(3);
            for (var i = 0; i < batch.Length; i++)
            {
                var id = ids.Values[i];
                var name = names.GetString(i);
                using var reader = new BinaryReader(new MemoryStream(bodies.GetBytes(i).ToArray()), Encoding.UTF8);
                if (reader.ReadByte() != FormatVersion)
                {
                    throw new InvalidDataException($"Catalog entry {kinds.Values[i]}/{id}/{name} has an unknown format.");
                }

                switch (kinds.Values[i])
                {
                    case CounterKind: nextId = reader.ReadUInt64(); break;
                    case SchemaKind: schemas.Add(name); break;
                    case TableKind: tables[id] = ReadTable(reader, id); break;
                    case ViewKind: views[id] = ReadView(reader, id); break;
                    case IndexKind: indexes[id] = ReadIndex(reader, id); break;
                    case RoleKind: roles[name] = ReadRole(reader, name); break;
                    case RetiredKind: retired[id] = ReadTable(reader, id); break;
                    case SequenceKind: sequences[id] = ReadSequence(reader, id); break;
                    default: throw new InvalidDataException($"Unknown catalog entry kind {kinds.Values[i]}.");
                }
            }
        }

        if (nextId == 0)
        {
            return null;
        }

        return new CatalogSnapshot(
            seq, nextId, schemas.ToImmutable(), tables.ToImmutable(), views.ToImmutable(), indexes.ToImmutable(), roles.ToImmutable(), retired.ToImmutable(), sequences.ToImmutable());
    }

    /// <summary>Adds to <paramref name="batch"/> the catalog rows that turn <paramref name="from"/> into <paramref name="to"/>.</summary>
    public static void WriteChanges(CatalogSnapshot from, CatalogSnapshot to, WriteBatch batch)
    {
        if (from.NextId != to.NextId)
        {
            Put(batch, CounterKind, 0, "", w => w.Write(to.NextId));
        }

        foreach (var schema in to.SchemaNames.Except(from.SchemaNames))
        {
            Put(batch, SchemaKind, 0, schema, _ => { });
        }

        foreach (var schema in from.SchemaNames.Except(to.SchemaNames))
        {
            Delete(batch, SchemaKind, 0, schema);
        }

        Diff(from.TablesById, to.TablesById, batch, TableKind, WriteTable);
        Diff(from.Retired, to.Retired, batch, RetiredKind, WriteTable);
        Diff(from.ViewsById, to.ViewsById, batch, ViewKind, WriteView);
        Diff(from.IndexesById, to.IndexesById, batch, IndexKind, WriteIndex);
        Diff(from.SequencesById, to.SequencesById, batch, SequenceKind, WriteSequence);
        foreach (var (name, role) in to.RolesByName)
        {
            if (!from.RolesByName.TryGetValue(name, out var old) || old != role)
            {
                Put(batch, RoleKind, 0, name, w => WriteRole(w, role));
            }
        }

        foreach (var name in from.RolesByName.Keys)
        {
            if (!to.RolesByName.ContainsKey(name))
            {
                Delete(batch, RoleKind, 0, name);
            }
        }
    }

    private static void Diff<T>(
        ImmutableDictionary<ulong, T> from, ImmutableDictionary<ulong, T> to, WriteBatch batch, int kind, Action<BinaryWriter, T> write)
        where T : class
    {
        foreach (var (id, value) in to)
        {
            if (!from.TryGetValue(id, out var old) || !ReferenceEquals(old, value))
            {
                Put(batch, kind, id, "", w => write(w, value));
            }
        }

        foreach (var id in from.Keys)
        {
            if (!to.ContainsKey(id))
            {
                Delete(batch, kind, id, "");
            }
        }
    }

    private static void Put(WriteBatch batch, int kind, ulong id, string name, Action<BinaryWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            body(writer);
        }

        var row = new RowBuilder(Layout).SetInt32(0, kind).SetUInt64(1, id).SetText(2, name).SetBytes(3, stream.ToArray()).ToArray();
        batch.Put(Layout, row);
    }

    private static void Delete(WriteBatch batch, int kind, ulong id, string name)
    {
        var row = new RowBuilder(Layout).SetInt32(0, kind).SetUInt64(1, id).SetText(2, name).SetBytes(3, []).ToArray();
        batch.Delete(Layout, Shard.PrimaryKeyOf(Layout, row));
    }

    private static void WriteTable(BinaryWriter w, TableDefinition t)
    {
        w.Write(t.Schema);
        w.Write(t.Name);
        w.Write(t.Version);
        w.Write(t.Columns.Count);
        foreach (var c in t.Columns)
        {
            w.Write(c.Name);
            w.Write(c.TypeName);
            w.Write((byte)c.StorageKind);
            w.Write(c.NotNull);
            WriteOptional(w, c.DefaultExpression);
        }

        w.Write(t.PrimaryKey.Count);
        foreach (var k in t.PrimaryKey)
        {
            w.Write(k);
        }

        w.Write(t.TimeColumn);
        w.Write(t.Ttl?.Ticks ?? -1);
        WriteOptions(w, t.Options);
    }

    private static TableDefinition ReadTable(BinaryReader r, ulong id)
    {
        var schema = r.ReadString();
        var name = r.ReadString();
        var version = r.ReadUInt64();
        var columns = new ColumnDefinition[r.ReadInt32()];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new ColumnDefinition(r.ReadString(), r.ReadString(), (SegmentColumnKind)r.ReadByte(), r.ReadBoolean(), ReadOptional(r));
        }

        var key = new int[r.ReadInt32()];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = r.ReadInt32();
        }

        var timeColumn = r.ReadInt32();
        var ttl = r.ReadInt64();
        var options = ReadOptions(r);
        return new TableDefinition(id, schema, name, columns, key, timeColumn, ttl < 0 ? null : TimeSpan.FromTicks(ttl), options, version);
    }

    private static void WriteView(BinaryWriter w, ViewDefinition v)
    {
        w.Write(v.Schema);
        w.Write(v.Name);
        w.Write(v.QueryText);
        WriteStrings(w, v.ColumnNames);
    }

    private static ViewDefinition ReadView(BinaryReader r, ulong id) =>
        new(id, r.ReadString(), r.ReadString(), r.ReadString(), ReadStrings(r));

    private static void WriteIndex(BinaryWriter w, IndexDefinition x)
    {
        w.Write(x.Schema);
        w.Write(x.Name);
        w.Write(x.TableId);
        WriteStrings(w, x.Columns);
        w.Write(x.Method);
        w.Write(x.Unique);
        WriteOptions(w, x.Options);
    }

    private static IndexDefinition ReadIndex(BinaryReader r, ulong id) =>
        new(id, r.ReadString(), r.ReadString(), r.ReadUInt64(), ReadStrings(r), r.ReadString(), r.ReadBoolean(), ReadOptions(r));

    private static void WriteSequence(BinaryWriter w, SequenceDefinition s)
    {
        w.Write(s.Schema);
        w.Write(s.Name);
        w.Write(s.TypeName);
        w.Write(s.Start);
        w.Write(s.Increment);
        w.Write(s.MinValue);
        w.Write(s.MaxValue);
        w.Write(s.Cycle);
        w.Write(s.Cache);
        w.Write((byte)s.Ownership);
        w.Write(s.OwnerTableId);
        WriteOptional(w, s.OwnerColumn);
    }

    private static SequenceDefinition ReadSequence(BinaryReader r, ulong id) =>
        new(id, r.ReadString(), r.ReadString(), r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadBoolean(), r.ReadInt64(),
            (SequenceOwnership)r.ReadByte(), r.ReadUInt64(), ReadOptional(r));

    private static void WriteRole(BinaryWriter w, RoleDefinition role)
    {
        w.Write(role.CanLogin);
        w.Write(role.IsSuperuser);
        WriteOptional(w, role.ScramVerifier);
        WriteOptional(w, role.Md5Hash);
    }

    private static RoleDefinition ReadRole(BinaryReader r, string name) =>
        new(name, r.ReadBoolean(), r.ReadBoolean(), ReadOptional(r), ReadOptional(r));

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadString();
        }

        return values;
    }

    private static void WriteOptions(BinaryWriter w, IReadOnlyDictionary<string, string> options)
    {
        w.Write(options.Count);
        foreach (var (key, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(value);
        }
    }

    private static Dictionary<string, string> ReadOptions(BinaryReader r)
    {
        var count = r.ReadInt32();
        var options = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            options[r.ReadString()] = r.ReadString();
        }

        return options;
    }
}
