using System.Diagnostics.CodeAnalysis;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>
/// PostgreSQL's system catalogs as read-only virtual tables over the engine catalog: the pg_catalog tables psql's
/// describe commands and drivers read (pg_namespace, pg_class, pg_attribute, pg_type, pg_database, pg_roles,
/// pg_settings, pg_index, pg_constraint, pg_attrdef, pg_am, pg_proc, and the empty pg_description, pg_range,
/// pg_inherits) and information_schema's tables, columns and schemata. OIDs are int4 columns.
/// </summary>
public sealed partial class PgCatalog : ISystemTableProvider
{
    private readonly Dictionary<(string Schema, string Name), SystemTable> _tables = [];

    private PgCatalog()
    {
        AddPgCatalogTables();
        AddTypeTables();
        AddInformationSchemaTables();
    }

    /// <summary>The shared provider (the tables are computed per scan from the statement's catalog).</summary>
    public static PgCatalog Instance => Shared.Value;

    // Built on first use: the type fields of the other partial files must be initialised first.
    private static readonly Lazy<PgCatalog> Shared = new(() => new PgCatalog());

    /// <summary>Every virtual table, for tests and documentation.</summary>
    public IEnumerable<SystemTable> Tables => _tables.Values;

    /// <inheritdoc />
    public bool TryResolve(string? schema, string name, [NotNullWhen(true)] out SystemTable? table) =>
        _tables.TryGetValue((schema ?? PgCatalogSchema, name), out table);

    private const string PgCatalogSchema = "pg_catalog";
    private const string InformationSchema = "information_schema";

    private void Add(string schema, string name, (string Name, SqlType Type)[] columns, Func<SystemTableContext, IEnumerable<object?[]>> rows)
    {
        var resultColumns = columns.Select(c => new ResultColumn(c.Name, c.Type)).ToArray();
        _tables[(schema, name)] = new SystemTable(schema, name, resultColumns, context => [ToBatch(columns, rows(context).ToList())]);
    }

    private static ResultBatch ToBatch((string Name, SqlType Type)[] columns, List<object?[]> rows)
    {
        var vectors = new ColumnVector[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var column = c;
            vectors[c] = ColumnVector.FromValues(columns[c].Type, rows.Select(r => r[column]).ToArray());
        }

        return new ResultBatch(vectors, rows.Count);
    }

    /// <summary>The OID of a schema: PostgreSQL's fixed ones for pg_catalog and public, stable numbers for the rest.</summary>
    internal static int NamespaceOid(string schema) => schema switch
    {
        PgCatalogSchema => 11,
        CatalogSnapshot.PublicSchema => 2200,
        InformationSchema => 13000,
        _ => 16384 + (int)((uint)StableHash(schema) % 1_000_000),
    };

    /// <summary>A table's OID from its catalog id, above PostgreSQL's reserved range.</summary>
    internal static int RelationOid(ulong id) => checked((int)(100_000 + (id % 1_000_000_000)));

    private static int StableHash(string text)
    {
        // FNV-1a: the same number in every process, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>The SQL type a column was declared with; text when the declaration does not parse.</summary>
    internal static SqlType ColumnType(ColumnDefinition column)
    {
        try
        {
            return SqlType.FromTypeName(SqlParser.ParseTypeName(column.TypeName));
        }
        catch (Exception e) when (e is SqlException or SqlSyntaxException)
        {
            return SqlType.Text;
        }
    }

    internal static IEnumerable<string> SchemasOf(CatalogSnapshot catalog) =>
        new[] { PgCatalogSchema, InformationSchema }.Concat(catalog.Schemas.Order(StringComparer.Ordinal));
}
