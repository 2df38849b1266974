namespace LumaDB.Engine.Catalog;

/// <summary>A secondary index on a table.</summary>
/// <param name="Id">Catalog id.</param>
/// <param name="Schema">Schema of the index (the table's).</param>
/// <param name="Name">Index name.</param>
/// <param name="TableId">The indexed table.</param>
/// <param name="Columns">Indexed column names, in order.</param>
/// <param name="Method">Access method (<c>btree</c>, <c>hnsw</c>...).</param>
/// <param name="Unique">Whether the index enforces uniqueness.</param>
/// <param name="Options">WITH (...) options.</param>
public sealed record IndexDefinition(
    ulong Id, string Schema, string Name, ulong TableId, IReadOnlyList<string> Columns, string Method, bool Unique,
    IReadOnlyDictionary<string, string> Options);
