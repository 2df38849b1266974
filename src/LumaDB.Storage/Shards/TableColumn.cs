using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Shards;

/// <summary>One column of a table as storage sees it: a name, a storage kind and whether it may be null.</summary>
/// <param name="Name">Column name, unique in the table.</param>
/// <param name="Kind">How values are stored in rows and segments.</param>
/// <param name="IsNullable">Whether the column may hold nulls.</param>
public readonly record struct TableColumn(string Name, SegmentColumnKind Kind, bool IsNullable = true);
