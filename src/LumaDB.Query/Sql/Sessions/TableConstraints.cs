using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>The NOT NULL and primary-key checks every row writer (INSERT, UPDATE, COPY) applies, with PostgreSQL's messages.</summary>
internal static class TableConstraints
{
    /// <summary>Throws 23502 for the first column that is NULL but declared NOT NULL or part of the primary key.</summary>
    public static void CheckNotNull(TableDefinition table, object?[] values)
    {
        for (var c = 0; c < values.Length; c++)
        {
            if (values[c] is null && (table.Columns[c].NotNull || table.PrimaryKey.Contains(c)))
            {
                throw new SqlException(SqlState.NotNullViolation, $"null value in column \"{table.Columns[c].Name}\" of relation \"{table.Name}\" violates not-null constraint")
                {
                    Schema = table.Schema,
                    Table = table.Name,
                    Column = table.Columns[c].Name,
                };
            }
        }
    }

    /// <summary>Whether <paramref name="columns"/> are exactly the table's declared primary key, in any order (a constraint target or a referenced key).</summary>
    public static bool IsPrimaryKey(TableDefinition table, IEnumerable<string> columns) =>
        QueryPlanner.HasDeclaredKey(table) && columns.ToHashSet(StringComparer.Ordinal).SetEquals(table.PrimaryKey.Select(k => table.Columns[k].Name));

    /// <summary>The 23505 error for a row whose primary key already exists, naming the key's values.</summary>
    public static SqlException DuplicateKey(TableDefinition table, SqlType[] types, object?[] values) => new(
        SqlState.UniqueViolation,
        $"duplicate key value violates unique constraint \"{table.Name}_pkey\"",
        detail: $"Key ({string.Join(", ", table.PrimaryKey.Select(k => table.Columns[k].Name))})=({string.Join(", ", table.PrimaryKey.Select(k => values[k] is null ? "null" : SqlText.Format(values[k]!, types[k])))}) already exists.")
    {
        Schema = table.Schema,
        Table = table.Name,
        Constraint = table.Name + "_pkey",
    };
}
