using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>The pg_catalog tables.</summary>
public sealed partial class PgCatalog
{
    private static readonly SqlType Oid = SqlType.Int4;
    private static readonly SqlType Text = SqlType.Text;
    private static readonly SqlType Bool = SqlType.Boolean;
    private static readonly SqlType Int2 = SqlType.Int2;
    private static readonly SqlType TextArray = SqlType.ArrayOf(SqlType.Text);

    private const int SuperuserOid = 10;

    private void AddPgCatalogTables()
    {
        Add(PgCatalogSchema, "pg_namespace", [("oid", Oid), ("nspname", Text), ("nspowner", Oid), ("nspacl", TextArray)],
            context => SchemasOf(context.Catalog).Select(s => new object?[] { NamespaceOid(s), s, SuperuserOid, null }));

        Add(PgCatalogSchema, "pg_class",
            [("oid", Oid), ("relname", Text), ("relnamespace", Oid), ("reltype", Oid), ("relowner", Oid), ("relam", Oid),
             ("reltuples", SqlType.Float4), ("relhasindex", Bool), ("relpersistence", Text), ("relkind", Text), ("relnatts", Int2),
             ("relhasrules", Bool), ("relhastriggers", Bool), ("relrowsecurity", Bool), ("relforcerowsecurity", Bool),
             ("relispartition", Bool), ("reloptions", TextArray), ("relacl", TextArray), ("relchecks", Int2), ("reltablespace", Oid),
             ("reltoastrelid", Oid), ("reloftype", Oid), ("relreplident", Text), ("relpartbound", Text)],
            context =>
            {
                var rows = new List<object?[]>();

                // PostgreSQL enforces foreign keys with triggers on both tables; psql's \d lists them only then.
                var triggered = ForeignKeyConstraints(context.Catalog).SelectMany(f => new[] { f.Child.Id, f.Parent.Id }).ToHashSet();
                foreach (var table in context.Catalog.Tables)
                {
                    var indexes = context.Catalog.IndexesOf(table.Id);
                    rows.Add([RelationOid(table.Id), table.Name, NamespaceOid(table.Schema), 0, SuperuserOid, 2, -1f, indexes.Count > 0 || QueryPlanner.HasDeclaredKey(table), "p", "r", (short)table.Columns.Count(c => c.Name != QueryPlanner.RowIdColumn), false, triggered.Contains(table.Id), false, false, false, null, null, (short)Sessions.CheckConstraints.Of(table).Count(), 0, 0, 0, "d", null]);
                }

                foreach (var view in context.Catalog.Views)
                {
                    rows.Add([RelationOid(view.Id), view.Name, NamespaceOid(view.Schema), 0, SuperuserOid, 0, -1f, false, "p", "v", (short)0, true, false, false, false, false, null, null, (short)0, 0, 0, 0, "d", null]);
                }

                foreach (var sequence in context.Catalog.Sequences)
                {
                    rows.Add([RelationOid(sequence.Id), sequence.Name, NamespaceOid(sequence.Schema), 0, SuperuserOid, 0, 1f, false, "p", "S", (short)3, false, false, false, false, false, null, null, (short)0, 0, 0, 0, "n", null]);
                }

                foreach (var index in context.Catalog.Indexes)
                {
                    rows.Add([RelationOid(index.Id), index.Name, NamespaceOid(index.Schema), 0, SuperuserOid, 403, -1f, false, "p", "i", (short)index.Columns.Count, false, false, false, false, false, null, null, (short)0, 0, 0, 0, "d", null]);
                }

                // The primary key is the table's own order, listed as the unique btree index PostgreSQL would create.
                foreach (var table in context.Catalog.Tables.Where(t => QueryPlanner.HasDeclaredKey(t)))
                {
                    rows.Add([PrimaryKeyIndexOid(table.Id), PrimaryKeyName(table), NamespaceOid(table.Schema), 0, SuperuserOid, 403, -1f, false, "p", "i", (short)table.PrimaryKey.Count, false, false, false, false, false, null, null, (short)0, 0, 0, 0, "d", null]);
                }

                foreach (var system in _tables.Values)
                {
                    var kind = system.Schema == PgCatalogSchema ? "r" : "v";
                    rows.Add([SystemRelationOid(system.Schema, system.Name), system.Name, NamespaceOid(system.Schema), 0, SuperuserOid, kind == "r" ? 2 : 0, -1f, false, "p", kind, (short)system.Columns.Count, false, false, false, false, false, null, null, (short)0, 0, 0, 0, "n", null]);
                }

                return rows;
            });

        Add(PgCatalogSchema, "pg_attribute",
            [("attrelid", Oid), ("attname", Text), ("atttypid", Oid), ("attlen", Int2), ("attnum", Int2), ("atttypmod", SqlType.Int4),
             ("attnotnull", Bool), ("atthasdef", Bool), ("attisdropped", Bool), ("attidentity", Text), ("attgenerated", Text), ("attcollation", Oid),
             ("attacl", TextArray), ("attstorage", Text), ("attcompression", Text), ("attstattarget", SqlType.Int4), ("attoptions", TextArray),
             ("attfdwoptions", TextArray), ("attislocal", Bool), ("attinhcount", SqlType.Int4), ("attndims", SqlType.Int4)],
            context => AttributeRows(context));

        Add(PgCatalogSchema, "pg_database",
            [("oid", Oid), ("datname", Text), ("datdba", Oid), ("encoding", SqlType.Int4), ("datcollate", Text), ("datctype", Text),
             ("datistemplate", Bool), ("datallowconn", Bool), ("datconnlimit", SqlType.Int4), ("datacl", TextArray), ("daticulocale", Text),
             ("datlocprovider", Text), ("dattablespace", Oid)],
            context => [[1, context.Settings.Get("luma.database") ?? "luma", SuperuserOid, 6, "C", "C", false, true, -1, null, null, "c", 1663]]);

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
             ("indisvalid", Bool), ("indkey", Text), ("indexprs", Text), ("indpred", Text), ("indisreplident", Bool), ("indisexclusion", Bool), ("indnullsnotdistinct", Bool),
             ("indimmediate", Bool), ("indnkeyatts", Int2), ("indisready", Bool), ("indislive", Bool), ("indcheckxmin", Bool), ("indoption", Text),
             ("indcollation", Text), ("indclass", Text)],
            context => context.Catalog.Indexes.Select(i => IndexRow(RelationOid(i.Id), i.TableId, i.Unique, false,
                    i.Columns.Select(c => (context.Catalog.FindTable(i.TableId)?.IndexOf(c) ?? -1) + 1).ToArray()))
                .Concat(context.Catalog.Tables.Where(t => QueryPlanner.HasDeclaredKey(t))
                    .Select(t => IndexRow(PrimaryKeyIndexOid(t.Id), t.Id, true, true, t.PrimaryKey.Select(k => k + 1).ToArray()))));

        Add(PgCatalogSchema, "pg_indexes", [("schemaname", Text), ("tablename", Text), ("indexname", Text), ("tablespace", Text), ("indexdef", Text)],
            context => context.Catalog.Indexes.Where(i => context.Catalog.FindTable(i.TableId) is not null)
                .Select(i => (Oid: RelationOid(i.Id), i.Name, Table: context.Catalog.FindTable(i.TableId)!))
                .Concat(context.Catalog.Tables.Where(t => QueryPlanner.HasDeclaredKey(t)).Select(t => (Oid: PrimaryKeyIndexOid(t.Id), Name: PrimaryKeyName(t), Table: t)))
                .Select(x => new object?[] { x.Table.Schema, x.Table.Name, x.Name, null, IndexDefinitionOf(context.Catalog, x.Oid, 0) }));

        Add(PgCatalogSchema, "pg_constraint",
            [("oid", Oid), ("conname", Text), ("connamespace", Oid), ("contype", Text), ("conrelid", Oid), ("conindid", Oid), ("conkey", SqlType.ArrayOf(Int2)), ("confrelid", Oid),
             ("condeferrable", Bool), ("condeferred", Bool), ("convalidated", Bool), ("conislocal", Bool), ("coninhcount", SqlType.Int4), ("connoinherit", Bool),
             ("conparentid", Oid), ("contypid", Oid), ("confkey", SqlType.ArrayOf(Int2)), ("conbin", Text), ("confupdtype", Text), ("confdeltype", Text), ("confmatchtype", Text)],
            context => context.Catalog.Tables.Where(t => QueryPlanner.HasDeclaredKey(t)).Select(t => new object?[]
            {
                PrimaryKeyConstraintOid(t.Id), PrimaryKeyName(t), NamespaceOid(t.Schema), "p", RelationOid(t.Id), PrimaryKeyIndexOid(t.Id),
                t.PrimaryKey.Select(k => (object?)(short)(k + 1)).ToArray(), 0, false, false, true, true, 0, true, 0, 0, null, null, " ", " ", " ",
            }).Concat(context.Catalog.Tables.SelectMany(t => Sessions.CheckConstraints.Of(t).Select(c => new object?[]
            {
                CheckConstraintOid(t.Id, c.Name), c.Name, NamespaceOid(t.Schema), "c", RelationOid(t.Id), 0,
                null, 0, false, false, true, true, 0, false, 0, 0, null, c.Condition, " ", " ", " ",
            }))).Concat(UniqueConstraints(context.Catalog).Select(u => new object?[]
            {
                CheckConstraintOid(u.Table.Id, u.Index.Name), u.Index.Name, NamespaceOid(u.Index.Schema), "u", RelationOid(u.Table.Id), RelationOid(u.Index.Id),
                u.Index.Columns.Select(c => (object?)(short)(u.Table.IndexOf(c) + 1)).ToArray(), 0, false, false, true, true, 0, true, 0, 0, null, null, " ", " ", " ",
            })).Concat(ForeignKeyConstraints(context.Catalog).Select(f => new object?[]
            {
                CheckConstraintOid(f.Child.Id, f.Key.Name), f.Key.Name, NamespaceOid(f.Child.Schema), "f", RelationOid(f.Child.Id), ReferencedIndexOid(context.Catalog, f.Parent, f.Key),
                f.Key.Columns.Select(c => (object?)(short)(f.Child.IndexOf(c) + 1)).ToArray(), RelationOid(f.Parent.Id), false, false, true, true, 0, true, 0, 0,
                f.Key.ParentColumns.Select(c => (object?)(short)(f.Parent.IndexOf(c) + 1)).ToArray(), null,
                Sessions.ForeignKey.ActionCode(f.Key.OnUpdate), Sessions.ForeignKey.ActionCode(f.Key.OnDelete), "s",
            })));

        Add(PgCatalogSchema, "pg_attrdef", [("oid", Oid), ("adrelid", Oid), ("adnum", Int2), ("adbin", Text)],
            context => context.Catalog.Tables.SelectMany(t => t.Columns.Select((c, i) => (t, c, i)).Where(x => x.c.DefaultExpression is not null)
                .Select(x => new object?[] { RelationOid(x.t.Id) + 2 + x.i, RelationOid(x.t.Id), (short)(x.i + 1), x.c.DefaultExpression })));

        Add(PgCatalogSchema, "pg_am", [("oid", Oid), ("amname", Text), ("amtype", Text)],
            _ => [[2, "heap", "t"], [403, "btree", "i"]]);

        Add(PgCatalogSchema, "pg_description", [("objoid", Oid), ("classoid", Oid), ("objsubid", SqlType.Int4), ("description", Text)],
            context =>
            {
                var pgClass = SystemRelationOid(PgCatalogSchema, "pg_class");
                return context.Catalog.Tables.SelectMany(t =>
                    (Sessions.TableComments.Of(t) is { } text ? new[] { new object?[] { RelationOid(t.Id), pgClass, 0, text } } : [])
                    .Concat(Sessions.TableComments.Columns(t).Select(c => new object?[] { RelationOid(t.Id), pgClass, c.Column + 1, c.Text })));
            });
        Add(PgCatalogSchema, "pg_inherits", [("inhrelid", Oid), ("inhparent", Oid), ("inhseqno", SqlType.Int4), ("inhdetachpending", Bool)], _ => []);
        Add(PgCatalogSchema, "pg_enum", [("oid", Oid), ("enumtypid", Oid), ("enumsortorder", SqlType.Float4), ("enumlabel", Text)], _ => []);
        AddDescribeTables();
    }

    private IEnumerable<object?[]> AttributeRows(Planning.SystemTableContext context)
    {
        foreach (var table in context.Catalog.Tables)
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                if (column.Name == QueryPlanner.RowIdColumn)
                {
                    // The hidden row id of a table without a declared key is storage's, not a column.
                    continue;
                }

                var row = AttributeRow(RelationOid(table.Id), column.Name, ColumnType(column), i + 1, column.NotNull || table.PrimaryKey.Contains(i), column.DefaultExpression is not null);
                if (context.Catalog.IdentityOf(table.Id, column.Name) is { } identity)
                {
                    row[9] = identity.Ownership == SequenceOwnership.IdentityAlways ? "a" : "d";
                }

                yield return row;
            }
        }

        foreach (var view in context.Catalog.Views)
        {
            var columns = ViewColumns(context, view);
            for (var i = 0; i < columns.Count; i++)
            {
                yield return AttributeRow(RelationOid(view.Id), columns[i].Name, columns[i].Type, i + 1, false, false);
            }
        }

        foreach (var index in context.Catalog.Indexes)
        {
            var table = context.Catalog.FindTable(index.TableId);
            for (var i = 0; i < index.Columns.Count; i++)
            {
                var ordinal = table?.IndexOf(index.Columns[i]) ?? -1;
                yield return AttributeRow(RelationOid(index.Id), index.Columns[i], ordinal >= 0 ? ColumnType(table!.Columns[ordinal]) : Text, i + 1, false, false);
            }
        }

        foreach (var table in context.Catalog.Tables.Where(t => QueryPlanner.HasDeclaredKey(t)))
        {
            for (var i = 0; i < table.PrimaryKey.Count; i++)
            {
                var column = table.Columns[table.PrimaryKey[i]];
                yield return AttributeRow(PrimaryKeyIndexOid(table.Id), column.Name, ColumnType(column), i + 1, false, false);
            }
        }

        foreach (var system in _tables.Values)
        {
            for (var i = 0; i < system.Columns.Count; i++)
            {
                yield return AttributeRow(SystemRelationOid(system.Schema, system.Name), system.Columns[i].Name, system.Columns[i].Type, i + 1, false, false);
            }
        }
    }

    /// <summary>A view's columns with the types its query produces, found by planning the query against the same catalog.</summary>
    private List<(string Name, SqlType Type)> ViewColumns(Planning.SystemTableContext context, ViewDefinition view)
    {
        try
        {
            if (Parser.SqlParser.ParseStatement(view.QueryText) is Syntax.SelectStatement select)
            {
                var plan = new Planning.QueryPlanner(context.Catalog, this, null).PlanQuery(select.Query);
                var visible = plan.Columns.Where(c => !c.Hidden).ToList();
                return visible.Select((c, i) => (i < view.ColumnNames.Count ? view.ColumnNames[i] : c.Name, c.Type.Kind == SqlTypeKind.Unknown ? Text : c.Type)).ToList();
            }
        }
        catch (Exception e) when (e is SqlException or Parser.SqlSyntaxException)
        {
            // A view whose query no longer plans (a dropped column) still lists its names.
        }

        return view.ColumnNames.Select(n => (n, Text)).ToList();
    }

    private static object?[] AttributeRow(int relation, string name, SqlType type, int number, bool notNull, bool hasDefault) =>
    [
        relation, name, (int)type.Oid, type.TypLen, (short)number, type.TypMod, notNull, hasDefault, false, "", "",
        type.Category == SqlTypeCategory.String ? 100 : 0, null, type.TypLen == -1 ? "x" : "p", "", -1, null, null, true, 0, type.IsArray ? 1 : 0,
    ];

    private static object?[] IndexRow(int indexOid, ulong tableId, bool unique, bool primary, int[] keys) =>
    [
        indexOid, RelationOid(tableId), (short)keys.Length, unique, primary, false, true, string.Join(' ', keys), null, null, false, false, false,
        true, (short)keys.Length, true, true, false, string.Join(' ', keys.Select(_ => "0")), string.Join(' ', keys.Select(_ => "0")), string.Join(' ', keys.Select(_ => "0")),
    ];

    private static IEnumerable<object?[]> RoleRows(Planning.SystemTableContext context)
    {
        var user = context.Settings.Get("session_authorization") ?? "luma";
        var names = context.Catalog.Roles.Select(r => r.Name).Append(user).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return names.Select(n => new object?[] { RoleOid(n, user), n, n == user, true, n == user, n == user, true, false, -1, null, n == user });
    }
}
