namespace LumaDB.Engine.Catalog;

/// <summary>A view: its name, the query text that defines it and the output column names.</summary>
/// <param name="Id">Catalog id.</param>
/// <param name="Schema">Schema name.</param>
/// <param name="Name">View name.</param>
/// <param name="QueryText">The defining query as SQL text.</param>
/// <param name="ColumnNames">Output column names (explicit or derived at creation).</param>
public sealed record ViewDefinition(ulong Id, string Schema, string Name, string QueryText, IReadOnlyList<string> ColumnNames);
