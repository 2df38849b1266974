using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>The pg_catalog tables.</summary>
public sealed partial class PgCatalog
{
    private static readonly SqlType Oid = SqlType.Int4;
    private static readonly SqlType Text = SqlType.Text;
    private static readonly SqlType Bool = SqlType.Boolean;
    private static readonly SqlType Int2 = SqlType.Int2;

    private const int SuperuserOid = 10;

    private void AddPgCatalogTables()
    {
        Add(PgCatalogSchema, "pg_namespace", [("oid", Oid), ("nspname", Text), ("nspowner", Oid), ("nspacl", Text)],
            context => SchemasOf(context.Catalog).Select(s => new object?[] { NamespaceOid(s), s, SuperuserOid, null }));

        Add(PgCatalogSchema, "pg_class",
            [("oid", Oid), ("relname", Text), ("relnamespace", Oid), ("reltype", Oid), ("relowner", Oid), ("relam", Oid),
             ("reltuples", SqlType.Float4), ("relhasindex", Bool), ("relpersistence", Text), ("relkind", Text), ("relnatts", Int2),
             ("relhasrules", Bool), ("relhastriggers", Bool), ("relrowsecurity", Bool), ("relforcerowsecurity", Bool),
             ("relispartition", Bool), ("reloptions", SqlType.ArrayOf(Text)), ("relacl", Text), ("relchecks", Int2), ("reltablespace", Oid),
             ("reltoastrelid", Oid), ("reloftype", Oid), ("relreplident", Text)],
            context =>
            {
                var rows = new List<object?[]>();
                foreach (var table in context.Catalog.Tables)
                {
                    var indexes = context.Catalog.IndexesOf(table.Id);
                    rows.Add([RelationOid(table.Id), table.Name, NamespaceOid(table.Schema), 0, SuperuserOid, 2, -1f, indexes.Count > 0 || table.PrimaryKey.Count > 0, "p", "r", (short)table.Columns.Count, false, false, false, false, false, null, null, (short)0, 0, 0, 0, "d"]);
                }

                foreach (var view in context.Catalog.Views)
                {
                    rows.Add([RelationOid(view.Id), view.Name, NamespaceOid(view.Schema), 0, SuperuserOid, 0, -1f, false, "p", "v", (short)0, true, false, false, false, false, null, null, (short)0, 0, 0, 0, "d"]);
                }

                foreach (var index in context.Catalog.Indexes)
                {
                    rows.Add([RelationOid(index.Id), index.Name, NamespaceOid(index.Schema), 0, SuperuserOid, 403, -1f, false, "p", "i", (short)index.Columns.Count, false, false, false, false, false, null, null, (short)0, 0, 0, 0, "d"]);
                }

                return rows;
            });

        Add(PgCatalogSchema, "pg_attribute",
            [("attrelid", Oid), ("attname", Text), ("atttypid", Oid), ("attlen", Int2), ("attnum", Int2), ("atttypmod", SqlType.Int4),
             ("attnotnull", Bool), ("atthasdef", Bool), ("attisdropped", Bool), ("attidentity", Text), ("attgenerated", Text), ("attcollation", Oid)],
            context => context.Catalog.Tables.SelectMany(t => t.Columns.Select((c, i) =>
            {
                var type = ColumnType(c);
                return new object?[] { RelationOid(t.Id), c.Name, (int)type.Oid, type.TypLen, (short)(i + 1), type.TypMod, c.NotNull || t.PrimaryKey.Contains(i), c.DefaultExpression is not null, false, "", "", 0 };
            })));

        Add(PgCatalogSchema, "pg_database",
            [("oid", Oid), ("datname", Text), ("datdba", Oid), ("encoding", SqlType.Int4), ("datcollate", Text), ("datctype", Text),
             ("datistemplate", Bool), ("datallowconn", Bool), ("datconnlimit", SqlType.Int4), ("datacl", Text)],
            context => [[1, context.Settings.Get("luma.database") ?? "luma", SuperuserOid, 6, "C", "C", false, true, -1, null]]);

        Add(PgCatalogSchema, "pg_roles",
            [("oid", Oid), ("rolname", Text), ("rolsuper", Bool), ("rolinherit", Bool), ("rolcreaterole", Bool), ("rolcreatedb", Bool),
             ("rolcanlogin", Bool), ("rolreplication", Bool), ("rolconnlimit", SqlType.Int4), ("rolvaliduntil", SqlType.TimestampTz), ("rolbypassrls", Bool)],
            RoleRows);
        _tables[(PgCatalogSchema, "pg_authid")] = _tables[(PgCatalogSchema, "pg_roles")] with { Name = "pg_authid" };
        _tables[(PgCatalogSchema, "pg_user")] = _tables[(PgCatalogSchema, "pg_roles")] with { Name = "pg_user" };

        Add(PgCatalogSchema, "pg_settings",
            [("name", Text), ("setting", Text), ("unit", Text), ("category", Text), ("short_desc", Text), ("context", Text), ("vartype", Text), ("source", Text)],
            context => context.Settings.All().Select(kv => new object?[] { kv.Key, kv.Value, null, "", "", "user", "string", "default" }));

        Add(PgCatalogSchema, "pg_index",
            [("indexrelid", Oid), ("indrelid", Oid), ("indnatts", Int2), ("indisunique", Bool), ("indisprimary", Bool), ("indisclustered", Bool),
             ("indisvalid", Bool), ("indkey", Text), ("indexprs", Text), ("indpred", Text)],
            context => context.Catalog.Indexes.Select(i => new object?[]
            {
                RelationOid(i.Id), RelationOid(i.TableId), (short)i.Columns.Count, i.Unique, false, false, true,
                string.Join(' ', i.Columns.Select(c => (context.Catalog.FindTable(i.TableId)?.IndexOf(c) ?? -1) + 1)), null, null,
            }));

        Add(PgCatalogSchema, "pg_constraint",
            [("oid", Oid), ("conname", Text), ("connamespace", Oid), ("contype", Text), ("conrelid", Oid), ("conindid", Oid), ("conkey", SqlType.ArrayOf(Int2)), ("confrelid", Oid)],
            context => context.Catalog.Tables.Where(t => t.PrimaryKey.Count > 0).Select(t => new object?[]
            {
                RelationOid(t.Id) + 1, t.Name + "_pkey", NamespaceOid(t.Schema), "p", RelationOid(t.Id), 0, t.PrimaryKey.Select(k => (object?)(short)(k + 1)).ToArray(), 0,
            }));

        Add(PgCatalogSchema, "pg_attrdef", [("oid", Oid), ("adrelid", Oid), ("adnum", Int2), ("adbin", Text)],
            context => context.Catalog.Tables.SelectMany(t => t.Columns.Select((c, i) => (t, c, i)).Where(x => x.c.DefaultExpression is not null)
                .Select(x => new object?[] { RelationOid(x.t.Id) + 2 + x.i, RelationOid(x.t.Id), (short)(x.i + 1), x.c.DefaultExpression })));

        Add(PgCatalogSchema, "pg_am", [("oid", Oid), ("amname", Text), ("amtype", Text)],
            _ => [[2, "heap", "t"], [403, "btree", "i"]]);

        Add(PgCatalogSchema, "pg_description", [("objoid", Oid), ("classoid", Oid), ("objsubid", SqlType.Int4), ("description", Text)], _ => []);
        Add(PgCatalogSchema, "pg_inherits", [("inhrelid", Oid), ("inhparent", Oid), ("inhseqno", SqlType.Int4)], _ => []);
        Add(PgCatalogSchema, "pg_enum", [("oid", Oid), ("enumtypid", Oid), ("enumsortorder", SqlType.Float4), ("enumlabel", Text)], _ => []);
    }

    private static IEnumerable<object?[]> RoleRows(Planning.SystemTableContext context)
    {
        var user = context.Settings.Get("session_authorization") ?? "luma";
        var names = context.Catalog.Roles.Select(r => r.Name).Append(user).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return names.Select(n => new object?[] { n == user ? SuperuserOid : 16384 + (StableHash(n) % 1_000_000), n, n == user, true, n == user, n == user, true, false, -1, null, n == user });
    }
}
