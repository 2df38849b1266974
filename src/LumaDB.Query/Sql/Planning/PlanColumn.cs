using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>One column of a plan node's output: the name it is found by, the table (alias) qualifying it, its type and origin.</summary>
/// <param name="Table">The alias or table name qualifying the column, or null.</param>
/// <param name="Name">Column name.</param>
/// <param name="Type">SQL type.</param>
/// <param name="TableId">Originating table id for RowDescription, else 0.</param>
/// <param name="ColumnNumber">1-based column number in that table, else 0.</param>
/// <param name="Hidden">Not found by an unqualified name nor expanded by <c>*</c> (the right side of a USING join).</param>
/// <param name="AliasNamesValue">
/// The single result of a function in FROM: the item's alias alone names it too (<c>elem</c> in
/// <c>jsonb_array_elements(doc) elem</c>), as PostgreSQL reads a function's one result through its alias.
/// </param>
internal sealed record PlanColumn(string? Table, string Name, SqlType Type, ulong TableId = 0, short ColumnNumber = 0, bool Hidden = false, bool AliasNamesValue = false);
