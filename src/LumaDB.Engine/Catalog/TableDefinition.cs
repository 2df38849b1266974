using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Catalog;

/// <summary>
/// A table in the catalog: its name, columns, primary key, optional time column and retention, and the
/// storage layout the shard uses for it. Immutable; ALTER TABLE produces a new definition with a higher
/// <see cref="Version"/>.
/// </summary>
public sealed class TableDefinition
{
    /// <summary>Creates a definition; <paramref name="id"/> is assigned by the catalog (0 in a create request).</summary>
    public TableDefinition(
        ulong id,
        string schema,
        string name,
        IReadOnlyList<ColumnDefinition> columns,
        IReadOnlyList<int> primaryKey,
        int timeColumn = -1,
        TimeSpan? ttl = null,
        IReadOnlyDictionary<string, string>? options = null,
        ulong version = 1)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(primaryKey);
        Id = id;
        Schema = schema;
        Name = name;
        Columns = columns;
        PrimaryKey = primaryKey;
        TimeColumn = timeColumn;
        Ttl = ttl;
        Options = options ?? new Dictionary<string, string>();
        Version = version;
        Layout = new TableLayout(
            id,
            [.. columns.Select(c => new TableColumn(c.Name, c.StorageKind, !c.NotNull))],
            primaryKey,
            timeColumn);
    }

    /// <summary>The table id, unique in the shard and never reused.</summary>
    public ulong Id { get; }

    /// <summary>Schema name (<c>public</c> by default).</summary>
    public string Schema { get; }

    /// <summary>Table name.</summary>
    public string Name { get; }

    /// <summary>Columns in declaration order.</summary>
    public IReadOnlyList<ColumnDefinition> Columns { get; }

    /// <summary>Indexes into <see cref="Columns"/> forming the primary key, in key order; never empty (a table without a declared key gets a hidden row-id column).</summary>
    public IReadOnlyList<int> PrimaryKey { get; }

    /// <summary>Index of the time column of a time-series table, or -1.</summary>
    public int TimeColumn { get; }

    /// <summary>Retention: data older than this (by the time column) is dropped; null keeps everything.</summary>
    public TimeSpan? Ttl { get; }

    /// <summary>Other WITH (...) options, by lower-case name.</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>Table option (WITH) setting how many similar-sized segments a compaction merges at least.</summary>
    public const string CompactionMinSegmentsOption = "compaction_min_segments";

    /// <summary>Table option (WITH) setting the time windows compactions stay within, as seconds (<c>3600s</c>).</summary>
    public const string CompactionWindowOption = "compaction_window";

    /// <summary>
    /// How the shard compacts this table where it differs from the shard's policy, or null: the
    /// <see cref="CompactionMinSegmentsOption"/> and <see cref="CompactionWindowOption"/> options, and for a table
    /// with a time column and a TTL but no window of its own, windows of an eighth of the TTL (one minute to one
    /// day). Retention drops whole segments, and merges within windows keep old rows out of segments with new
    /// ones, so a table written to all the time still sheds its expired rows, at most about a window late.
    /// </summary>
    public TableCompaction? Compaction
    {
        get
        {
            int? minSegments = Options.TryGetValue(CompactionMinSegmentsOption, out var min) && int.TryParse(min, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed >= 2
                ? parsed
                : null;
            TimeSpan? window = Options.TryGetValue(CompactionWindowOption, out var text) && ParseSeconds(text) is { } seconds
                ? seconds
                : TimeColumn >= 0 && Ttl is { } ttl ? TimeSpan.FromTicks(Math.Clamp(ttl.Ticks / 8, TimeSpan.TicksPerMinute, TimeSpan.TicksPerDay)) : null;
            return minSegments is null && window is null ? null : new TableCompaction(minSegments, TimeColumn >= 0 ? window : null);
        }
    }

    /// <summary>Reads a duration written as whole seconds with an <c>s</c> suffix; null when it is not one.</summary>
    public static TimeSpan? ParseSeconds(string text) =>
        text.EndsWith('s') && long.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 1
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>Bumped by every ALTER; plan caches compare it.</summary>
    public ulong Version { get; }

    /// <summary>The storage layout (row codec, Arrow schema, key columns) for this definition.</summary>
    public TableLayout Layout { get; }

    /// <summary>The same definition with <paramref name="options"/> as its options (for an ALTER that changes only them).</summary>
    public TableDefinition WithOptions(IReadOnlyDictionary<string, string> options) =>
        new(Id, Schema, Name, Columns, PrimaryKey, TimeColumn, Ttl, options, Version);

    /// <summary>Index of the column named <paramref name="name"/> (case-sensitive; the query layer folds case), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
