using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>The information_schema views.</summary>
public sealed partial class PgCatalog
{
    private void AddInformationSchemaTables()
    {
        Add(InformationSchema, "schemata", [("catalog_name", Text), ("schema_name", Text), ("schema_owner", Text)],
            context => SchemasOf(context.Catalog).Select(s => new object?[] { Database(context), s, context.Settings.Get("session_authorization") ?? "luma" }));

        Add(InformationSchema, "tables", [("table_catalog", Text), ("table_schema", Text), ("table_name", Text), ("table_type", Text)],
            context => context.Catalog.Tables.Select(t => new object?[] { Database(context), t.Schema, t.Name, "BASE TABLE" })
                .Concat(context.Catalog.Views.Select(v => new object?[] { Database(context), v.Schema, v.Name, "VIEW" }))
                .OrderBy(r => (string)r[1]!, StringComparer.Ordinal).ThenBy(r => (string)r[2]!, StringComparer.Ordinal));

        Add(InformationSchema, "columns",
            [("table_catalog", Text), ("table_schema", Text), ("table_name", Text), ("column_name", Text), ("ordinal_position", SqlType.Int4),
             ("column_default", Text), ("is_nullable", Text), ("data_type", Text), ("character_maximum_length", SqlType.Int4), ("udt_name", Text)],
            context => context.Catalog.Tables.SelectMany(t => t.Columns.Select((c, i) => (c, i)).Where(x => x.c.Name != Planning.QueryPlanner.RowIdColumn).Select(x =>
            {
                var (c, i) = x;
                var type = ColumnType(c);
                var nullable = !(c.NotNull || t.PrimaryKey.Contains(i));
                return new object?[]
                {
                    Database(context), t.Schema, t.Name, c.Name, i + 1, c.DefaultExpression, nullable ? "YES" : "NO",
                    type.IsArray ? "ARRAY" : type.WithoutModifier.DisplayName, type.Kind is SqlTypeKind.Varchar or SqlTypeKind.Bpchar && type.Modifier >= 0 ? type.Modifier : null, type.Name,
                };
            })));

        Add(InformationSchema, "sequences",
            [("sequence_catalog", Text), ("sequence_schema", Text), ("sequence_name", Text), ("data_type", Text), ("numeric_precision", SqlType.Int4),
             ("numeric_precision_radix", SqlType.Int4), ("numeric_scale", SqlType.Int4), ("start_value", Text), ("minimum_value", Text), ("maximum_value", Text),
             ("increment", Text), ("cycle_option", Text)],
            // Identity columns' sequences are not listed, as in PostgreSQL.
            context => context.Catalog.Sequences.Where(q => !q.IsIdentity).OrderBy(q => q.Schema, StringComparer.Ordinal).ThenBy(q => q.Name, StringComparer.Ordinal).Select(q => new object?[]
            {
                Database(context), q.Schema, q.Name, q.TypeName, q.TypeName switch { "smallint" => 16, "integer" => 32, _ => 64 }, 2, 0,
                Invariant(q.Start), Invariant(q.MinValue), Invariant(q.MaxValue), Invariant(q.Increment), q.Cycle ? "YES" : "NO",
            }));
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Database(Planning.SystemTableContext context) => context.Settings.Get("luma.database") ?? "luma";
}
