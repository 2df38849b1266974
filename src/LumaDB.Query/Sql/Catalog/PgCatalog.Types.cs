using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>pg_type, pg_proc and pg_range: every type the engine handles with its real OID, array type and I/O functions.</summary>
public sealed partial class PgCatalog
{
    /// <summary>One pg_type row's facts.</summary>
    private sealed record PgTypeEntry(int Oid, string Name, short Length, string TypType, string Category, int Element, int Array, string Receive);

    /// <summary>Types clients see in system catalogs and drivers expect to exist, beyond the engine's value types.</summary>
    private static readonly PgTypeEntry[] CatalogTypes =
    [
        new(16, "bool", 1, "b", "B", 0, 1000, "boolrecv"),
        new(17, "bytea", -1, "b", "U", 0, 1001, "bytearecv"),
        new(18, "char", 1, "b", "Z", 0, 1002, "charrecv"),
        new(19, "name", 64, "b", "S", 0, 1003, "namerecv"),
        new(20, "int8", 8, "b", "N", 0, 1016, "int8recv"),
        new(21, "int2", 2, "b", "N", 0, 1005, "int2recv"),
        new(22, "int2vector", -1, "b", "A", 21, 1006, "int2vectorrecv"),
        new(23, "int4", 4, "b", "N", 0, 1007, "int4recv"),
        new(24, "regproc", 4, "b", "N", 0, 1008, "regprocrecv"),
        new(25, "text", -1, "b", "S", 0, 1009, "textrecv"),
        new(26, "oid", 4, "b", "N", 0, 1028, "oidrecv"),
        new(27, "tid", 6, "b", "U", 0, 1010, "tidrecv"),
        new(28, "xid", 4, "b", "U", 0, 1011, "xidrecv"),
        new(29, "cid", 4, "b", "U", 0, 1012, "cidrecv"),
        new(30, "oidvector", -1, "b", "A", 26, 1013, "oidvectorrecv"),
        new(114, "json", -1, "b", "U", 0, 199, "json_recv"),
        new(700, "float4", 4, "b", "N", 0, 1021, "float4recv"),
        new(701, "float8", 8, "b", "N", 0, 1022, "float8recv"),
        new(705, "unknown", -2, "p", "X", 0, 0, "unknownrecv"),
        new(1042, "bpchar", -1, "b", "S", 0, 1014, "bpcharrecv"),
        new(1043, "varchar", -1, "b", "S", 0, 1015, "varcharrecv"),
        new(1082, "date", 4, "b", "D", 0, 1182, "date_recv"),
        new(1083, "time", 8, "b", "D", 0, 1183, "time_recv"),
        new(1114, "timestamp", 8, "b", "D", 0, 1115, "timestamp_recv"),
        new(1184, "timestamptz", 8, "b", "D", 0, 1185, "timestamptz_recv"),
        new(1186, "interval", 16, "b", "T", 0, 1187, "interval_recv"),
        new(1700, "numeric", -1, "b", "N", 0, 1231, "numeric_recv"),
        new(2205, "regclass", 4, "b", "N", 0, 2210, "regclassrecv"),
        new(2206, "regtype", 4, "b", "N", 0, 2211, "regtyperecv"),
        new(2249, "record", -1, "p", "P", 0, 2287, "record_recv"),
        new(2275, "cstring", -2, "p", "P", 0, 1263, "cstring_recv"),
        new(2276, "any", 4, "p", "P", 0, 0, "-"),
        new(2277, "anyarray", -1, "p", "P", 0, 0, "anyarray_recv"),
        new(2278, "void", 4, "p", "P", 0, 0, "void_recv"),
        new(2283, "anyelement", 4, "p", "P", 0, 0, "-"),
        new(2950, "uuid", 16, "b", "U", 0, 2951, "uuid_recv"),
        new(3802, "jsonb", -1, "b", "U", 0, 3807, "jsonb_recv"),
        new(4089, "regnamespace", 4, "b", "N", 0, 4090, "regnamespacerecv"),
        new(4096, "regrole", 4, "b", "N", 0, 4097, "regrolerecv"),
        new((int)PgTypeOids.Vector, "vector", -1, "b", "U", 0, (int)PgTypeOids.VectorArray, "vector_recv"),
    ];

    /// <summary>Every pg_type row: the scalar types, then one array type per scalar that has one.</summary>
    private static readonly PgTypeEntry[] AllTypes = CatalogTypes
        .Concat(CatalogTypes.Where(t => t.Array != 0).Select(t => new PgTypeEntry(t.Array, "_" + t.Name, -1, "b", "A", t.Oid, 0, "array_recv")))
        .ToArray();

    /// <summary>The receive functions by name with stable OIDs (array_recv keeps PostgreSQL's 2400).</summary>
    private static readonly Dictionary<string, int> ReceiveFunctions = AllTypes.Select(t => t.Receive).Where(r => r != "-").Distinct(StringComparer.Ordinal)
        .Select((name, i) => (name, oid: name == "array_recv" ? 2400 : 70_000 + i))
        .ToDictionary(p => p.name, p => p.oid, StringComparer.Ordinal);

    /// <summary>The functions listed in pg_proc besides the receive functions: name and result type OID.</summary>
    private static readonly (string Name, int ResultType)[] CatalogFunctions =
    [
        ("version", 25), ("current_database", 19), ("current_schema", 19), ("current_user", 19), ("now", 1184), ("pg_sleep", 2278),
        ("format_type", 25), ("pg_get_expr", 25), ("pg_get_indexdef", 25), ("pg_get_constraintdef", 25), ("pg_get_userbyid", 19),
        ("pg_table_is_visible", 16), ("pg_type_is_visible", 16), ("obj_description", 25), ("col_description", 25), ("has_table_privilege", 16),
        ("pg_get_viewdef", 25), ("pg_encoding_to_char", 19), ("pg_table_size", 20), ("pg_relation_size", 20), ("pg_total_relation_size", 20),
        ("pg_size_pretty", 25), ("pg_function_is_visible", 16), ("pg_get_function_result", 25), ("pg_get_function_arguments", 25),
        ("array_to_string", 25), ("string_to_array", 1009), ("array_length", 23), ("cardinality", 23), ("unnest", 2283),
    ];

    private void AddTypeTables()
    {
        Add(PgCatalogSchema, "pg_type",
            [("oid", Oid), ("typname", Text), ("typnamespace", Oid), ("typowner", Oid), ("typlen", Int2), ("typbyval", Bool), ("typtype", Text),
             ("typcategory", Text), ("typispreferred", Bool), ("typisdefined", Bool), ("typdelim", Text), ("typrelid", Oid), ("typelem", Oid), ("typarray", Oid),
             ("typinput", Text), ("typoutput", Text), ("typreceive", Oid), ("typsend", Oid), ("typalign", Text), ("typstorage", Text),
             ("typnotnull", Bool), ("typbasetype", Oid), ("typtypmod", SqlType.Int4), ("typndims", SqlType.Int4), ("typcollation", Oid),
             ("typdefault", Text)],
            _ => AllTypes.Select(TypeRow));

        Add(PgCatalogSchema, "pg_proc",
            [("oid", Oid), ("proname", Text), ("pronamespace", Oid), ("proowner", Oid), ("prolang", Oid), ("prokind", Text), ("proretset", Bool),
             ("prorettype", Oid), ("pronargs", Int2), ("prosrc", Text)],
            _ => ProcRowList);

        // No logical replication: psql's \dn with a pattern lists a schema's publications from these.
        Add(PgCatalogSchema, "pg_publication", [("oid", Oid), ("pubname", Text), ("pubowner", Oid), ("puballtables", Bool)], _ => []);
        Add(PgCatalogSchema, "pg_publication_namespace", [("oid", Oid), ("pnpubid", Oid), ("pnnspid", Oid)], _ => []);

        Add(PgCatalogSchema, "pg_range",
            [("rngtypid", Oid), ("rngsubtype", Oid), ("rngmultitypid", Oid), ("rngcollation", Oid), ("rngsubopc", Oid), ("rngcanonical", Oid), ("rngsubdiff", Oid)],
            _ => []);
    }

    /// <summary>The pg_proc rows: the receive functions, then the catalog functions, by OID (fixed, so built once).</summary>
    private static readonly object?[][] ProcRowList =
        ReceiveFunctions.Select(f => new object?[] { f.Value, f.Key, 11, SuperuserOid, 12, "f", false, f.Key == "record_recv" ? 2249 : 0, (short)3, f.Key })
            .Concat(CatalogFunctions.Select((f, i) => new object?[] { 90_000 + i, f.Name, 11, SuperuserOid, 12, "f", false, f.ResultType, (short)0, f.Name }))
            .OrderBy(r => (int)r[0]!)
            .ToArray();

    /// <summary>Function OIDs by name, for regproc casts.</summary>
    private static readonly Dictionary<string, int> FunctionOidsByName =
        ProcRowList.GroupBy(r => (string)r[1]!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (int)g.First()[0]!, StringComparer.Ordinal);

    private static object?[] TypeRow(PgTypeEntry t)
    {
        var receive = ReceiveFunctions.GetValueOrDefault(t.Receive);
        var byValue = t.Length is > 0 and <= 8 && t.Name is not ("name" or "tid" or "uuid" or "interval");
        var align = t.Length switch { 1 => "c", 2 => "s", 8 => "d", _ => "i" };
        var collation = t.Category == "S" ? 100 : 0;
        return
        [
            t.Oid, t.Name, 11, SuperuserOid, t.Length, byValue, t.TypType, t.Category, t.Name is "bool" or "text" or "float8" or "oid" or "timestamptz" or "interval",
            true, ",", 0, t.Element, t.Array, t.Name + "in", t.Name + "out", receive, receive, align, t.Length == -1 ? "x" : "p",
            false, 0, -1, 0, collation, null,
        ];
    }
}
