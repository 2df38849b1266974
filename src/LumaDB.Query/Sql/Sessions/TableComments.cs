using LumaDB.Engine.Catalog;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// COMMENT ON TABLE and COLUMN text, kept in the table's options (<c>comment</c>, <c>comment:column:name</c>)
/// so the catalog stores them with no format of their own; pg_description and obj_description/col_description
/// read them back.
/// </summary>
internal static class TableComments
{
    /// <summary>The option holding the table's comment.</summary>
    public const string TableOption = "comment";

    /// <summary>The option-name prefix of a column's comment.</summary>
    public const string ColumnPrefix = "comment:column:";

    /// <summary>The table's comment, or null.</summary>
    public static string? Of(TableDefinition table) => table.Options.TryGetValue(TableOption, out var text) ? text : null;

    /// <summary>The comment of the table's column at <paramref name="index"/> (0-based), or null.</summary>
    public static string? OfColumn(TableDefinition table, int index) =>
        index >= 0 && index < table.Columns.Count && table.Options.TryGetValue(ColumnPrefix + table.Columns[index].Name, out var text) ? text : null;

    /// <summary>The table's column comments: (0-based column index, text).</summary>
    public static IEnumerable<(int Column, string Text)> Columns(TableDefinition table) =>
        table.Columns.Select((c, i) => (i, OfColumn(table, i))).Where(x => x.Item2 is not null).Select(x => (x.i, x.Item2!));
}
