using System.Globalization;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;
using ForeignKeyRow = LumaDB.Query.Sql.Sessions.ForeignKey;

namespace LumaDB.Query.Sql.Catalog;

/// <summary>
/// Name and OID lookups behind the OID alias casts (<c>'t'::regclass</c>) and the pg_get_* functions, over the
/// same numbering the catalog tables use, so a lookup agrees with what a join on pg_class finds.
/// </summary>
public sealed partial class PgCatalog
{
    /// <summary>The OID of a table's primary-key index, which the engine keeps inside the table rather than as a catalog object.</summary>
    internal static int PrimaryKeyIndexOid(ulong tableId) => checked((int)(1_100_000_000 + (tableId % 1_000_000_000)));

    /// <summary>The OID of a table's primary-key constraint.</summary>
    internal static int PrimaryKeyConstraintOid(ulong tableId) => RelationOid(tableId) + 1;

    /// <summary>A role's OID: the session's own user is the bootstrap superuser (10), others a stable number.</summary>
    internal static int RoleOid(string role, string sessionUser) => role == sessionUser ? SuperuserOid : 16384 + (StableHash(role) % 1_000_000);

    /// <summary>The primary-key index name PostgreSQL would give the table.</summary>
    internal static string PrimaryKeyName(TableDefinition table) => table.Name + "_pkey";

    /// <summary>The OID the alias cast of <paramref name="name"/> to <paramref name="kind"/> yields; throws PostgreSQL's error when no such object exists.</summary>
    internal int LookUpOid(SystemTableContext context, string name, RegKind kind)
    {
        // As in PostgreSQL, a number is taken as the OID itself (psql writes '16386'::regclass).
        if (name.Length > 0 && name.All(char.IsAsciiDigit) && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        switch (kind)
        {
            case RegKind.Class:
                {
                    var (schema, relation) = SplitName(name);
                    foreach (var candidate in schema is null ? (string[])[PgCatalogSchema, CatalogSnapshot.PublicSchema] : [schema])
                    {
                        if (RelationOidOf(context.Catalog, candidate, relation) is { } oid)
                        {
                            return oid;
                        }
                    }

                    throw new SqlException(SqlState.UndefinedTable, $"relation \"{name}\" does not exist");
                }

            case RegKind.Type:
                {
                    var text = name.Trim();
                    var array = text.EndsWith("[]", StringComparison.Ordinal);
                    var bare = SplitName(array ? text[..^2] : text).Name;
                    var entry = AllTypes.FirstOrDefault(t => t.Name == bare)
                        ?? (SqlType.FromName(bare) is { } type ? AllTypes.FirstOrDefault(t => t.Oid == (int)type.Oid) : null)
                        ?? throw new SqlException(SqlState.UndefinedObject, $"type \"{name}\" does not exist");
                    return array ? entry.Array : entry.Oid;
                }

            case RegKind.Namespace:
                {
                    var schema = SplitName(name).Name;
                    return SchemasOf(context.Catalog).Contains(schema)
                        ? NamespaceOid(schema)
                        : throw new SqlException(SqlState.InvalidSchemaName, $"schema \"{name}\" does not exist");
                }

            case RegKind.Role:
                {
                    var role = SplitName(name).Name;
                    var user = SessionUser(context);
                    return role == user || context.Catalog.FindRole(role) is not null
                        ? RoleOid(role, user)
                        : throw new SqlException(SqlState.UndefinedObject, $"role \"{name}\" does not exist");
                }

            default:
                {
                    var function = SplitName(name.Split('(')[0]).Name;
                    return FunctionOidsByName.TryGetValue(function, out var oid)
                        ? oid
                        : throw new SqlException(SqlState.UndefinedFunction, $"function \"{name}\" does not exist");
                }
        }
    }

    /// <summary>What the alias cast of an OID to text prints: the object's name, or the number when nothing has that OID.</summary>
    internal string NameOf(SystemTableContext context, long oid, RegKind kind)
    {
        var number = oid.ToString(CultureInfo.InvariantCulture);
        switch (kind)
        {
            case RegKind.Class:
                return RelationNameOf(context.Catalog, oid) is { } relation ? RelationText(relation.Schema, relation.Name) : number;
            case RegKind.Type:
                return oid == 0 ? "-" : FormatType(oid, -1) ?? number;
            case RegKind.Namespace:
                return SchemasOf(context.Catalog).FirstOrDefault(s => NamespaceOid(s) == oid) ?? number;
            case RegKind.Role:
                {
                    var user = SessionUser(context);
                    return context.Catalog.Roles.Select(r => r.Name).Append(user).FirstOrDefault(r => RoleOid(r, user) == oid) ?? number;
                }

            default:
                return oid == 0 ? "-" : FunctionOidsByName.FirstOrDefault(f => f.Value == oid).Key ?? number;
        }
    }

    /// <summary>
    /// pg_table_is_visible: whether the relation is found by its bare name, i.e. its schema is pg_catalog or on
    /// the session's search_path (PostgreSQL's default <c>"$user", public</c>).
    /// </summary>
    internal bool IsRelationVisible(SystemTableContext context, long oid)
    {
        if (RelationNameOf(context.Catalog, oid) is not { } relation)
        {
            return false;
        }

        if (relation.Schema == PgCatalogSchema)
        {
            return true;
        }

        var path = context.Settings.Get("search_path") ?? "public";
        var user = SessionUser(context);
        return path.Split(',').Select(p => p.Trim().Trim('"')).Any(p => p == relation.Schema || (p == "$user" && relation.Schema == user));
    }

    /// <summary>format_type: the SQL name of a type with its modifier, as pg_dump and psql print it; null for an unknown OID.</summary>
    internal static string? FormatType(long oid, int typmod)
    {
        var entry = AllTypes.FirstOrDefault(t => t.Oid == oid);
        if (entry is null)
        {
            return null;
        }

        if (entry.Element != 0 && entry.Name.StartsWith('_'))
        {
            return FormatType(entry.Element, typmod) + "[]";
        }

        return entry.Name switch
        {
            "bool" => "boolean",
            "int2" => "smallint",
            "int4" => "integer",
            "int8" => "bigint",
            "float4" => "real",
            "float8" => "double precision",
            "varchar" => typmod >= 4 ? $"character varying({typmod - 4})" : "character varying",
            "bpchar" => typmod >= 4 ? $"character({typmod - 4})" : "bpchar",
            "char" => "\"char\"",
            "time" => "time without time zone",
            "timestamp" => "timestamp without time zone",
            "timestamptz" => "timestamp with time zone",
            "numeric" when typmod >= 4 => $"numeric({((typmod - 4) >> 16) & 0xFFFF},{(typmod - 4) & 0xFFFF})",
            "vector" when typmod > 0 => $"vector({typmod})",
            _ => entry.Name,
        };
    }

    /// <summary>pg_get_indexdef: the CREATE INDEX statement of an index (column <paramref name="column"/> alone when it is above 0).</summary>
    internal static string? IndexDefinitionOf(CatalogSnapshot catalog, long oid, int column)
    {
        string name, method;
        bool unique;
        TableDefinition? table;
        IReadOnlyList<string> columns;
        if (catalog.Indexes.FirstOrDefault(i => RelationOid(i.Id) == oid) is { } index)
        {
            (name, method, unique, table, columns) = (index.Name, index.Method, index.Unique, catalog.FindTable(index.TableId), index.Columns);
        }
        else if (catalog.Tables.FirstOrDefault(t => QueryPlanner.HasDeclaredKey(t) && PrimaryKeyIndexOid(t.Id) == oid) is { } keyed)
        {
            (name, method, unique, table, columns) = (PrimaryKeyName(keyed), "btree", true, keyed, keyed.PrimaryKey.Select(k => keyed.Columns[k].Name).ToArray());
        }
        else
        {
            return null;
        }

        if (column > 0)
        {
            return column <= columns.Count ? QuoteIdentifier(columns[column - 1]) : string.Empty;
        }

        var target = table is null ? "?" : QuoteIdentifier(table.Schema) + "." + QuoteIdentifier(table.Name);
        return $"CREATE {(unique ? "UNIQUE " : string.Empty)}INDEX {QuoteIdentifier(name)} ON {target} USING {method} ({string.Join(", ", columns.Select(QuoteIdentifier))})";
    }

    /// <summary>
    /// pg_get_constraintdef: the constraint clause of a constraint OID. A CHECK condition is wrapped in one more
    /// pair of parentheses unless <paramref name="pretty"/>, as PostgreSQL prints it.
    /// </summary>
    internal static string? ConstraintDefinitionOf(CatalogSnapshot catalog, long oid, bool pretty = false)
    {
        if (catalog.Tables.FirstOrDefault(t => QueryPlanner.HasDeclaredKey(t) && PrimaryKeyConstraintOid(t.Id) == oid) is { } table)
        {
            return $"PRIMARY KEY ({string.Join(", ", table.PrimaryKey.Select(k => QuoteIdentifier(table.Columns[k].Name)))})";
        }

        if (ForeignKeyConstraints(catalog).FirstOrDefault(f => CheckConstraintOid(f.Child.Id, f.Key.Name) == oid) is { Key: not null } foreign)
        {
            return foreign.Key.Definition;
        }

        if (UniqueConstraints(catalog).FirstOrDefault(u => CheckConstraintOid(u.Table.Id, u.Index.Name) == oid) is { Index: not null } unique)
        {
            return $"UNIQUE ({string.Join(", ", unique.Index.Columns.Select(QuoteIdentifier))})";
        }

        return catalog.Tables.SelectMany(t => Sessions.CheckConstraints.Of(t).Select(c => (t, c)))
            .FirstOrDefault(x => CheckConstraintOid(x.t.Id, x.c.Name) == oid) is { t: not null } check
            ? pretty ? $"CHECK ({check.c.Condition})" : $"CHECK (({check.c.Condition}))"
            : null;
    }

    /// <summary>
    /// obj_description / col_description: a table's comment (<paramref name="column"/> 0) or its column's
    /// (1-based), or null.
    /// </summary>
    internal static string? DescriptionOf(CatalogSnapshot catalog, long oid, int column) =>
        catalog.Tables.FirstOrDefault(t => RelationOid(t.Id) == oid) is not { } table ? null
            : column == 0 ? Sessions.TableComments.Of(table)
            : Sessions.TableComments.OfColumn(table, column - 1);

    /// <summary>The UNIQUE constraints (unique indexes made by a constraint clause), each with its table.</summary>
    internal static IEnumerable<(IndexDefinition Index, TableDefinition Table)> UniqueConstraints(CatalogSnapshot catalog) =>
        catalog.Indexes.Where(Sessions.DdlPlan.IsUniqueConstraint)
            .Select(i => (Index: i, Table: catalog.FindTable(i.TableId)))
            .Where(u => u.Table is not null)
            .Select(u => (u.Index, u.Table!));

    /// <summary>The FOREIGN KEY constraints whose referenced table exists, each with both tables.</summary>
    internal static IEnumerable<(ForeignKeyRow Key, TableDefinition Child, TableDefinition Parent)> ForeignKeyConstraints(CatalogSnapshot catalog) =>
        catalog.Tables.SelectMany(t => Sessions.ForeignKeys.Of(t).Select(k => (Key: k, Child: t, Parent: catalog.FindTable(k.ParentSchema, k.ParentTable))))
            .Where(f => f.Parent is not null)
            .Select(f => (f.Key, f.Child, f.Parent!));

    /// <summary>The OID of the index (primary key or unique) a FOREIGN KEY's referenced columns are found by.</summary>
    internal static int ReferencedIndexOid(CatalogSnapshot catalog, TableDefinition parent, ForeignKeyRow key)
    {
        var uniques = Sessions.UniqueIndexes.For(catalog, parent);
        return Sessions.TableConstraints.IsPrimaryKey(parent, key.ParentColumns) ? PrimaryKeyIndexOid(parent.Id)
            : uniques.IndexOn(key.ParentColumns) is var at and >= 0 ? RelationOid(uniques.Definitions[at].Id) : 0;
    }

    /// <summary>The OID pg_constraint gives a CHECK, UNIQUE or FOREIGN KEY constraint: stable for its table and name.</summary>
    internal static int CheckConstraintOid(ulong tableId, string name) =>
        1_200_000_000 + (StableHash(tableId.ToString(CultureInfo.InvariantCulture) + "/" + name) % 900_000_000);

    /// <summary>pg_get_viewdef: a view's defining query.</summary>
    internal static string? ViewDefinitionOf(CatalogSnapshot catalog, long oid) =>
        catalog.Views.FirstOrDefault(v => RelationOid(v.Id) == oid) is { } view ? " " + view.QueryText.TrimEnd(';') + ";" : null;

    /// <summary>pg_get_function_result: the result type of a listed function.</summary>
    internal static string? FunctionResultOf(long oid) =>
        ProcRowList.FirstOrDefault(r => (int)r[0]! == oid) is { } row ? FormatType((int)row[7]!, -1) ?? string.Empty : null;

    /// <summary>quote_ident: double quotes unless the name is a plain lower-case identifier.</summary>
    internal static string QuoteIdentifier(string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '$')
            && Parser.SqlKeywords.IsReserved(name) is false;
        return plain ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string SessionUser(SystemTableContext context) => context.Settings.Get("session_authorization") is { Length: > 0 } user ? user : "luma";

    private int? RelationOidOf(CatalogSnapshot catalog, string schema, string name)
    {
        if (catalog.FindTable(schema, name) is { } table)
        {
            return RelationOid(table.Id);
        }

        if (catalog.FindView(schema, name) is { } view)
        {
            return RelationOid(view.Id);
        }

        if (catalog.FindIndex(schema, name) is { } index)
        {
            return RelationOid(index.Id);
        }

        if (catalog.FindSequence(schema, name) is { } sequence)
        {
            return RelationOid(sequence.Id);
        }

        if (catalog.Tables.FirstOrDefault(t => t.Schema == schema && QueryPlanner.HasDeclaredKey(t) && PrimaryKeyName(t) == name) is { } keyed)
        {
            return PrimaryKeyIndexOid(keyed.Id);
        }

        return _tables.ContainsKey((schema, name)) ? SystemRelationOid(schema, name) : null;
    }

    private (string Schema, string Name)? RelationNameOf(CatalogSnapshot catalog, long oid)
    {
        foreach (var table in catalog.Tables)
        {
            if (RelationOid(table.Id) == oid)
            {
                return (table.Schema, table.Name);
            }

            if (QueryPlanner.HasDeclaredKey(table) && PrimaryKeyIndexOid(table.Id) == oid)
            {
                return (table.Schema, PrimaryKeyName(table));
            }
        }

        if (catalog.Views.FirstOrDefault(v => RelationOid(v.Id) == oid) is { } view)
        {
            return (view.Schema, view.Name);
        }

        if (catalog.Indexes.FirstOrDefault(i => RelationOid(i.Id) == oid) is { } index)
        {
            return (index.Schema, index.Name);
        }

        if (catalog.Sequences.FirstOrDefault(q => RelationOid(q.Id) == oid) is { } sequence)
        {
            return (sequence.Schema, sequence.Name);
        }

        return SystemRelationOids.FirstOrDefault(p => p.Value == oid) is { Value: > 0 } system ? system.Key : null;
    }

    /// <summary>
    /// A relation's name as a regclass prints it: bare in pg_catalog and public (on the search path), otherwise
    /// qualified, each part quoted where it must be.
    /// </summary>
    internal static string RelationText(string schema, string name) =>
        schema is PgCatalogSchema or CatalogSnapshot.PublicSchema ? QuoteIdentifier(name) : QuoteIdentifier(schema) + "." + QuoteIdentifier(name);

    /// <summary>
    /// The sequence a sequence function's argument names: a relation name as text (case-folded unless quoted,
    /// found in pg_catalog or public when unqualified) or a regclass OID. Throws PostgreSQL's errors otherwise.
    /// </summary>
    internal static SequenceDefinition SequenceOf(CatalogSnapshot catalog, object argument)
    {
        if (argument is string text)
        {
            var (schema, name) = SplitName(text);
            if (catalog.FindSequence(schema ?? CatalogSnapshot.PublicSchema, name) is { } sequence)
            {
                return sequence;
            }

            throw catalog.RelationExists(schema ?? CatalogSnapshot.PublicSchema, name)
                ? new SqlException(SqlState.WrongObjectType, $"\"{name}\" is not a sequence")
                : new SqlException(SqlState.UndefinedTable, $"relation \"{text}\" does not exist");
        }

        var oid = Convert.ToInt64(argument, CultureInfo.InvariantCulture);
        return catalog.Sequences.FirstOrDefault(q => RelationOid(q.Id) == oid)
            ?? throw new SqlException(SqlState.UndefinedTable, $"could not open relation with OID {oid}");
    }

    /// <summary>
    /// pg_get_serial_sequence: the qualified name of the sequence a serial or identity column owns, or null when
    /// the column has none; errors name a missing table or column as PostgreSQL does.
    /// </summary>
    internal static string? SerialSequenceOf(CatalogSnapshot catalog, string table, string column)
    {
        var (schema, name) = SplitName(table);
        var definition = catalog.FindTable(schema ?? CatalogSnapshot.PublicSchema, name)
            ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{table}\" does not exist");
        if (definition.IndexOf(column) < 0)
        {
            throw new SqlException(SqlState.UndefinedColumn, $"column \"{column}\" of relation \"{definition.Name}\" does not exist");
        }

        return catalog.Sequences.FirstOrDefault(s => s.IsOwnedBy(definition.Id, column)) is { } sequence
            ? QuoteIdentifier(sequence.Schema) + "." + QuoteIdentifier(sequence.Name)
            : null;
    }

    /// <summary>A schema-qualified name split at the dot, each part case-folded unless double-quoted.</summary>
    private static (string? Schema, string Name) SplitName(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = wasQuoted = true;
            }
            else if (c == '.')
            {
                parts.Add(wasQuoted ? current.ToString() : current.ToString().Trim().ToLowerInvariant());
                current.Clear();
                wasQuoted = false;
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(wasQuoted ? current.ToString() : current.ToString().Trim().ToLowerInvariant());
        return parts.Count switch
        {
            1 => (null, parts[0]),
            2 => (parts[0], parts[1]),
            _ => throw new SqlException(SqlState.SyntaxError, $"improper qualified name (too many dotted names): {text}"),
        };
    }
}
