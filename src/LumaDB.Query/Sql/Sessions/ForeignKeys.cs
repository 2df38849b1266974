using System.Globalization;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>A FOREIGN KEY constraint as the referencing table keeps it: its columns and the referenced table's, by name.</summary>
internal sealed record ForeignKey(
    string Name, string[] Columns, string ParentSchema, string ParentTable, string[] ParentColumns, ReferentialAction OnDelete, ReferentialAction OnUpdate)
{
    /// <summary>Whether the referenced table is <paramref name="table"/>.</summary>
    public bool References(TableDefinition table) => ParentSchema == table.Schema && ParentTable == table.Name;

    /// <summary>The clause as pg_get_constraintdef prints it.</summary>
    public string Definition
    {
        get
        {
            var parent = (ParentSchema == CatalogSnapshot.PublicSchema ? string.Empty : PgCatalog.QuoteIdentifier(ParentSchema) + ".") + PgCatalog.QuoteIdentifier(ParentTable);
            var text = $"FOREIGN KEY ({string.Join(", ", Columns.Select(PgCatalog.QuoteIdentifier))}) REFERENCES {parent}({string.Join(", ", ParentColumns.Select(PgCatalog.QuoteIdentifier))})";
            return text + Clause("UPDATE", OnUpdate) + Clause("DELETE", OnDelete);

            static string Clause(string verb, ReferentialAction action) => action switch
            {
                ReferentialAction.Restrict => $" ON {verb} RESTRICT",
                ReferentialAction.Cascade => $" ON {verb} CASCADE",
                ReferentialAction.SetNull => $" ON {verb} SET NULL",
                ReferentialAction.SetDefault => $" ON {verb} SET DEFAULT",
                _ => string.Empty,
            };
        }
    }

    /// <summary>pg_constraint's one-letter code of an action.</summary>
    public static string ActionCode(ReferentialAction action) => action switch
    {
        ReferentialAction.Restrict => "r",
        ReferentialAction.Cascade => "c",
        ReferentialAction.SetNull => "n",
        ReferentialAction.SetDefault => "d",
        _ => "a",
    };
}

/// <summary>
/// FOREIGN KEY constraints: kept in the referencing table's options (<c>fkey:name</c>; no catalog format change),
/// declared and checked against the referenced table's primary key or UNIQUE constraint as PostgreSQL does.
/// </summary>
internal static class ForeignKeys
{
    /// <summary>The option-name prefix of a FOREIGN KEY constraint.</summary>
    public const string OptionPrefix = "fkey:";

    private const char FieldSeparator = '\u001f';
    private const char ListSeparator = '\u001e';

    /// <summary>A table's FOREIGN KEY constraints, by name.</summary>
    public static IEnumerable<ForeignKey> Of(TableDefinition table) =>
        table.Options.Where(o => o.Key.StartsWith(OptionPrefix, StringComparison.Ordinal))
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => Decode(o.Key[OptionPrefix.Length..], o.Value));

    /// <summary>Every FOREIGN KEY constraint that references <paramref name="parent"/>, with its table.</summary>
    public static IEnumerable<(TableDefinition Child, ForeignKey Key)> Referencing(CatalogSnapshot catalog, TableDefinition parent) =>
        All(catalog).Where(r => r.Key.References(parent));

    /// <summary>
    /// Every FOREIGN KEY constraint of the catalog, with its table: worked out once per catalog snapshot, since
    /// every INSERT, UPDATE and DELETE plan asks which constraints reference its table.
    /// </summary>
    public static IReadOnlyList<(TableDefinition Child, ForeignKey Key)> All(CatalogSnapshot catalog) =>
        s_all.GetValue(catalog, static c => [.. c.Tables.SelectMany(t => Of(t).Select(k => (t, k)))]);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CatalogSnapshot, IReadOnlyList<(TableDefinition, ForeignKey)>> s_all = [];

    /// <summary>The option value a constraint is kept as.</summary>
    public static string Encode(ForeignKey key) => string.Join(
        FieldSeparator,
        string.Join(ListSeparator, key.Columns),
        key.ParentSchema,
        key.ParentTable,
        string.Join(ListSeparator, key.ParentColumns),
        ((int)key.OnDelete).ToString(CultureInfo.InvariantCulture),
        ((int)key.OnUpdate).ToString(CultureInfo.InvariantCulture));

    private static ForeignKey Decode(string name, string text)
    {
        var fields = text.Split(FieldSeparator);
        return new ForeignKey(
            name,
            fields[0].Split(ListSeparator),
            fields[1],
            fields[2],
            fields[3].Split(ListSeparator),
            (ReferentialAction)int.Parse(fields[4], CultureInfo.InvariantCulture),
            (ReferentialAction)int.Parse(fields[5], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Checks a FOREIGN KEY clause of <paramref name="child"/> against the catalog and names it, with
    /// PostgreSQL's errors: the referenced table and columns must exist, default to its primary key, and be its
    /// primary key or a UNIQUE constraint's columns; both sides must have as many columns, of comparable types.
    /// </summary>
    public static ForeignKey Declare(CatalogSnapshot catalog, TableDefinition child, string? name, IReadOnlyList<string> columns, ForeignKeyReference reference, ISet<string> taken)
    {
        var parentSchema = reference.Table.Schema ?? CatalogSnapshot.PublicSchema;
        var parent = catalog.FindTable(parentSchema, reference.Table.Name)
            ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', reference.Table.Parts)}\" does not exist");
        if (parent.TimeColumn >= 0 && parent.Ttl is not null)
        {
            // Retention drops expired rows without looking at what references them.
            throw new SqlException(SqlState.FeatureNotSupported, $"foreign keys referencing \"{parent.Name}\" are not supported: its rows expire by ttl");
        }

        foreach (var column in columns)
        {
            if (child.IndexOf(column) < 0 || column == QueryPlanner.RowIdColumn)
            {
                throw new SqlException(SqlState.UndefinedColumn, $"column \"{column}\" referenced in foreign key constraint does not exist");
            }
        }

        string[] parentColumns;
        if (reference.Columns.Count == 0)
        {
            parentColumns = QueryPlanner.HasDeclaredKey(parent)
                ? [.. parent.PrimaryKey.Select(k => parent.Columns[k].Name)]
                : throw new SqlException(SqlState.InvalidForeignKey, $"there is no primary key for referenced table \"{parent.Name}\"");
        }
        else
        {
            parentColumns = [.. reference.Columns];
            foreach (var column in parentColumns)
            {
                if (parent.IndexOf(column) < 0 || column == QueryPlanner.RowIdColumn)
                {
                    throw new SqlException(SqlState.UndefinedColumn, $"column \"{column}\" referenced in foreign key constraint does not exist");
                }
            }
        }

        if (parentColumns.Length != columns.Count)
        {
            throw new SqlException(SqlState.InvalidForeignKey, "number of referencing and referenced columns for foreign key disagree");
        }

        if (!TableConstraints.IsPrimaryKey(parent, parentColumns) && UniqueIndexes.For(catalog, parent).IndexOn(parentColumns) < 0)
        {
            throw new SqlException(SqlState.InvalidForeignKey, $"there is no unique constraint matching given keys for referenced table \"{parent.Name}\"");
        }

        name ??= NameFor(child.Name, columns, taken);
        if (!taken.Add(name))
        {
            throw new SqlException(SqlState.DuplicateObject, $"constraint \"{name}\" for relation \"{child.Name}\" already exists");
        }

        var childTypes = QueryPlanner.TypesOf(child);
        var parentTypes = QueryPlanner.TypesOf(parent);
        for (var i = 0; i < columns.Count; i++)
        {
            var a = childTypes[child.IndexOf(columns[i])];
            var b = parentTypes[parent.IndexOf(parentColumns[i])];
            if (!Comparable(a, b))
            {
                throw new SqlException(
                    SqlState.DatatypeMismatch,
                    $"foreign key constraint \"{name}\" cannot be implemented",
                    detail: $"Key columns \"{columns[i]}\" and \"{parentColumns[i]}\" are of incompatible types: {a.DisplayName} and {b.DisplayName}.");
            }
        }

        return new ForeignKey(name, [.. columns], parent.Schema, parent.Name, parentColumns, reference.OnDelete, reference.OnUpdate);
    }

    /// <summary>Whether values of <paramref name="a"/> can be looked up among values of <paramref name="b"/>: the same type, or two integer types.</summary>
    public static bool Comparable(SqlType a, SqlType b) =>
        a.Kind == b.Kind && (a.Kind != SqlTypeKind.Array || a.DisplayName == b.DisplayName) || (IsInteger(a) && IsInteger(b));

    /// <summary><paramref name="value"/> of type <paramref name="from"/> as a value of the comparable type <paramref name="to"/>.</summary>
    public static object? Convert(object? value, SqlType from, SqlType to)
    {
        if (value is null || from.Kind == to.Kind)
        {
            return value;
        }

        var wide = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return to.Kind switch
        {
            SqlTypeKind.Int2 => wide is >= short.MinValue and <= short.MaxValue ? (short)wide : null,
            SqlTypeKind.Int4 => wide is >= int.MinValue and <= int.MaxValue ? (int)wide : null,
            _ => wide,
        };
    }

    private static bool IsInteger(SqlType type) => type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8;

    /// <summary>PostgreSQL's name for an unnamed FOREIGN KEY: <c>table_col1_col2_fkey</c>, with a number added while it is taken.</summary>
    private static string NameFor(string table, IReadOnlyList<string> columns, ISet<string> taken) =>
        ObjectNames.Choose($"{table}_{string.Join('_', columns)}_fkey", taken.Contains);

    /// <summary>The names a new constraint of <paramref name="table"/> may not take: its CHECK and FOREIGN KEY constraints, and its indexes.</summary>
    public static HashSet<string> TakenNames(CatalogSnapshot catalog, TableDefinition table)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { PgCatalog.PrimaryKeyName(table) };
        taken.UnionWith(CheckConstraints.Of(table).Select(c => c.Name));
        taken.UnionWith(Of(table).Select(k => k.Name));
        taken.UnionWith(catalog.IndexesOf(table.Id).Select(i => i.Name));
        return taken;
    }

    /// <summary><paramref name="table"/> with its FOREIGN KEY constraints replaced by <paramref name="keys"/>.</summary>
    public static TableDefinition WithKeys(TableDefinition table, IEnumerable<ForeignKey> keys)
    {
        return table.WithOptions(table.Options.Where(o => !o.Key.StartsWith(OptionPrefix, StringComparison.Ordinal))
            .Concat(keys.Select(k => KeyValuePair.Create(OptionPrefix + k.Name, Encode(k))))
            .ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal));
    }
}
