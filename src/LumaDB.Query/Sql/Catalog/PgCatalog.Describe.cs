using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>
/// Catalogs psql's describe commands join against for features LumaDB does not have (extensions, policies,
/// triggers, rules, publications, inheritance, foreign tables): they exist with PostgreSQL's columns and hold
/// what is true here, which is usually nothing, so the describe output is complete rather than an error.
/// </summary>
public sealed partial class PgCatalog
{
    private Dictionary<(string Schema, string Name), int>? _systemRelationOids;

    /// <summary>The OIDs of the virtual tables themselves, in PostgreSQL's reserved range, fixed by name order.</summary>
    private Dictionary<(string Schema, string Name), int> SystemRelationOids => _systemRelationOids ??= _tables.Keys
        .OrderBy(k => k.Schema, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal)
        .Select((k, i) => (k, oid: 12_000 + i))
        .ToDictionary(p => p.k, p => p.oid);

    private int SystemRelationOid(string schema, string name) => SystemRelationOids.GetValueOrDefault((schema, name));

    private void AddDescribeTables()
    {
        var int4 = SqlType.Int4;
        Add(PgCatalogSchema, "pg_extension",
            [("oid", Oid), ("extname", Text), ("extowner", Oid), ("extnamespace", Oid), ("extrelocatable", Bool), ("extversion", Text)], _ => []);
        Add(PgCatalogSchema, "pg_auth_members", [("oid", Oid), ("roleid", Oid), ("member", Oid), ("grantor", Oid), ("admin_option", Bool)], _ => []);
        Add(PgCatalogSchema, "pg_policy",
            [("oid", Oid), ("polname", Text), ("polrelid", Oid), ("polcmd", Text), ("polpermissive", Bool), ("polroles", SqlType.ArrayOf(Oid)),
             ("polqual", Text), ("polwithcheck", Text)], _ => []);
        Add(PgCatalogSchema, "pg_collation",
            [("oid", Oid), ("collname", Text), ("collnamespace", Oid), ("collowner", Oid), ("collprovider", Text), ("collisdeterministic", Bool),
             ("collencoding", int4), ("collcollate", Text), ("collctype", Text)],
            _ => [[100, "default", 11, SuperuserOid, "d", true, -1, null, null], [950, "C", 11, SuperuserOid, "c", true, -1, "C", "C"], [951, "POSIX", 11, SuperuserOid, "c", true, -1, "POSIX", "POSIX"]]);
        Add(PgCatalogSchema, "pg_tablespace", [("oid", Oid), ("spcname", Text), ("spcowner", Oid), ("spcacl", TextArray), ("spcoptions", TextArray)],
            _ => [[1663, "pg_default", SuperuserOid, null, null], [1664, "pg_global", SuperuserOid, null, null]]);
        Add(PgCatalogSchema, "pg_trigger",
            [("oid", Oid), ("tgrelid", Oid), ("tgparentid", Oid), ("tgname", Text), ("tgfoid", Oid), ("tgtype", Int2), ("tgenabled", Text), ("tgisinternal", Bool)], _ => []);
        Add(PgCatalogSchema, "pg_rewrite",
            [("oid", Oid), ("rulename", Text), ("ev_class", Oid), ("ev_type", Text), ("ev_enabled", Text), ("is_instead", Bool)], _ => []);
        Add(PgCatalogSchema, "pg_statistic_ext",
            [("oid", Oid), ("stxrelid", Oid), ("stxname", Text), ("stxnamespace", Oid), ("stxowner", Oid), ("stxstattarget", int4), ("stxkeys", Text), ("stxkind", SqlType.ArrayOf(Text))], _ => []);
        Add(PgCatalogSchema, "pg_foreign_table", [("ftrelid", Oid), ("ftserver", Oid), ("ftoptions", TextArray)], _ => []);
        Add(PgCatalogSchema, "pg_partitioned_table", [("partrelid", Oid), ("partstrat", Text), ("partnatts", Int2)], _ => []);
        Add(PgCatalogSchema, "pg_sequence",
            [("seqrelid", Oid), ("seqtypid", Oid), ("seqstart", SqlType.Int8), ("seqincrement", SqlType.Int8), ("seqmax", SqlType.Int8), ("seqmin", SqlType.Int8), ("seqcache", SqlType.Int8), ("seqcycle", Bool)],
            context => context.Catalog.Sequences.Select(q => new object?[]
            {
                RelationOid(q.Id), (int)QueryPlanner.TypeOf(q.TypeName).Oid, q.Start, q.Increment, q.MaxValue, q.MinValue, q.Cache, q.Cycle,
            }));
        // Only the dependencies clients ask about: a sequence on the column that owns it ('a' for serial and
        // OWNED BY, 'i' for identity), which psql's \d shows as "Owned by".
        Add(PgCatalogSchema, "pg_depend",
            [("classid", Oid), ("objid", Oid), ("objsubid", int4), ("refclassid", Oid), ("refobjid", Oid), ("refobjsubid", int4), ("deptype", Text)],
            context =>
            {
                var pgClass = SystemRelationOid(PgCatalogSchema, "pg_class");
                return context.Catalog.Sequences
                    .Where(q => q.Ownership != SequenceOwnership.None)
                    .Select(q => (Sequence: q, Table: context.Catalog.FindTable(q.OwnerTableId)))
                    .Where(x => x.Table is not null && x.Table.IndexOf(x.Sequence.OwnerColumn!) >= 0)
                    .Select(x => new object?[]
                    {
                        pgClass, RelationOid(x.Sequence.Id), 0, pgClass, RelationOid(x.Table!.Id), x.Table.IndexOf(x.Sequence.OwnerColumn!) + 1, x.Sequence.IsIdentity ? "i" : "a",
                    });
            });
        Add(PgCatalogSchema, "pg_publication_rel", [("oid", Oid), ("prpubid", Oid), ("prrelid", Oid), ("prqual", Text), ("prattrs", SqlType.ArrayOf(Int2))], _ => []);
        Add(PgCatalogSchema, "pg_event_trigger", [("oid", Oid), ("evtname", Text), ("evtevent", Text), ("evtowner", Oid), ("evtfoid", Oid), ("evtenabled", Text)], _ => []);
        Add(PgCatalogSchema, "pg_language", [("oid", Oid), ("lanname", Text), ("lanowner", Oid), ("lanispl", Bool), ("lanpltrusted", Bool)],
            _ => [[12, "internal", SuperuserOid, false, false], [13, "c", SuperuserOid, false, false], [14, "sql", SuperuserOid, false, true]]);
        Add(PgCatalogSchema, "pg_shdescription", [("objoid", Oid), ("classoid", Oid), ("description", Text)], _ => []);
        Add(PgCatalogSchema, "pg_default_acl", [("oid", Oid), ("defaclrole", Oid), ("defaclnamespace", Oid), ("defaclobjtype", Text), ("defaclacl", TextArray)], _ => []);
    }
}
