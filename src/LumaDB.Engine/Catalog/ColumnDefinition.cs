using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Catalog;

/// <summary>
/// One column of a table as the catalog keeps it. The engine does not interpret SQL types: the query layer
/// names the type (<see cref="TypeName"/>, as it would print it) and chooses how it is stored (<see cref="StorageKind"/>).
/// </summary>
/// <param name="Name">Column name, unique in its table.</param>
/// <param name="TypeName">The SQL type as text, for example <c>integer</c>, <c>varchar(20)</c>, <c>vector(3)</c>.</param>
/// <param name="StorageKind">The storage representation of values.</param>
/// <param name="NotNull">Whether NULL is refused.</param>
/// <param name="DefaultExpression">The DEFAULT expression as SQL text, or null.</param>
public sealed record ColumnDefinition(string Name, string TypeName, SegmentColumnKind StorageKind, bool NotNull = false, string? DefaultExpression = null);
