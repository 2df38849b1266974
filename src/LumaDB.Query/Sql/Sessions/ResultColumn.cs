using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>One output column of a statement, with what RowDescription reports about it.</summary>
/// <param name="Name">Output name.</param>
/// <param name="Type">SQL type.</param>
/// <param name="TableId">The table the column comes from when it is a plain column reference, else 0.</param>
/// <param name="ColumnNumber">1-based column number in that table, else 0.</param>
public sealed record ResultColumn(string Name, SqlType Type, ulong TableId = 0, short ColumnNumber = 0);
