namespace LumaDB.Engine.Catalog;

/// <summary>
/// Where a unique index keeps its entries: an internal table under the index's own id, keyed by the indexed
/// columns, whose other columns are the indexed table's primary-key columns not already in the key (so each
/// entry leads back to its row). It lives in the catalog's tables so the shard stores, logs, flushes, locks and
/// drops its rows like any table's, but it is never listed or found by name. The query layer writes entries in
/// the same transaction as the rows they index.
/// </summary>
public static class UniqueIndexStorage
{
    /// <summary>The table option that marks an index's storage table (its value is the index's name).</summary>
    public const string Option = "luma.unique_index";

    /// <summary>Whether <paramref name="table"/> is a unique index's storage rather than a user's table.</summary>
    public static bool IsIndexStorage(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Options.ContainsKey(Option);
    }

    /// <summary>The storage table definition of unique index <paramref name="index"/> on <paramref name="table"/>.</summary>
    public static TableDefinition For(IndexDefinition index, TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(table);
        var columns = new List<ColumnDefinition>();
        foreach (var name in index.Columns)
        {
            var column = table.Columns[table.IndexOf(name)];
            columns.Add(column with { NotNull = true, DefaultExpression = null });
        }

        foreach (var k in table.PrimaryKey)
        {
            if (!index.Columns.Contains(table.Columns[k].Name))
            {
                columns.Add(table.Columns[k] with { DefaultExpression = null });
            }
        }

        return new TableDefinition(
            index.Id,
            index.Schema,
            index.Name,
            columns,
            [.. Enumerable.Range(0, index.Columns.Count)],
            options: new Dictionary<string, string>(StringComparer.Ordinal) { [Option] = index.Name });
    }
}
