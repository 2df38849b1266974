using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>CREATE/ALTER/DROP SEQUENCE, and the sequences behind serial and identity columns.</summary>
internal sealed partial class DdlPlan
{
    private static StatementOutcome CreateSequence(StatementContext context, CreateSequenceStatement create)
    {
        var tx = context.Transaction;
        var schema = create.Name.Schema ?? CatalogSnapshot.PublicSchema;
        if (tx.Catalog.RelationExists(schema, create.Name.Name))
        {
            if (create.IfNotExists)
            {
                context.Notices.Add($"relation \"{create.Name.Name}\" already exists, skipping");
                return Done("CREATE SEQUENCE");
            }

            throw new SqlException(SqlState.DuplicateTable, $"relation \"{create.Name.Name}\" already exists");
        }

        var (definition, _) = ApplySequenceOptions(null, schema, create.Name.Name, create.Options, tx.Catalog);
        tx.CreateSequence(definition);
        return Done("CREATE SEQUENCE");
    }

    private static StatementOutcome AlterSequence(StatementContext context, AlterSequenceStatement alter)
    {
        var tx = context.Transaction;
        var schema = alter.Name.Schema ?? CatalogSnapshot.PublicSchema;
        if (tx.Catalog.FindSequence(schema, alter.Name.Name) is not { } current)
        {
            if (alter.IfExists)
            {
                context.Notices.Add($"relation \"{alter.Name.Name}\" does not exist, skipping");
                return Done("ALTER SEQUENCE");
            }

            throw tx.Catalog.RelationExists(schema, alter.Name.Name)
                ? new SqlException(SqlState.WrongObjectType, $"\"{alter.Name.Name}\" is not a sequence")
                : new SqlException(SqlState.UndefinedTable, $"relation \"{alter.Name.Name}\" does not exist");
        }

        var (altered, restart) = ApplySequenceOptions(current, schema, alter.NewName ?? current.Name, alter.Options, tx.Catalog);
        var stored = tx.AlterSequence(current, altered);
        if (restart is { } value)
        {
            if (value < stored.MinValue || value > stored.MaxValue)
            {
                throw new SqlException(SqlState.InvalidParameterValue, $"RESTART value ({value}) cannot be {(value < stored.MinValue ? "less than MINVALUE" : "greater than MAXVALUE")} ({(value < stored.MinValue ? stored.MinValue : stored.MaxValue)})");
            }

            // Like setval, a restart takes effect at once and is not undone by a rollback.
            tx.SetSequenceValue(stored, value, isCalled: false);
        }

        return Done("ALTER SEQUENCE");
    }

    /// <summary>
    /// A sequence definition from CREATE SEQUENCE options (over PostgreSQL's defaults) or ALTER SEQUENCE options
    /// (over <paramref name="current"/>), with the RESTART value when one was asked for.
    /// </summary>
    internal static (SequenceDefinition Definition, long? Restart) ApplySequenceOptions(
        SequenceDefinition? current, string schema, string name, IEnumerable<SequenceOption> options, CatalogSnapshot catalog)
    {
        var typeName = current?.TypeName ?? "bigint";
        long? increment = null, start = null, cache = null, restart = null;
        bool? cycle = null;
        (bool Set, long? Value) min = default, max = default;
        var ownership = current?.Ownership ?? SequenceOwnership.None;
        var ownerTable = current?.OwnerTableId ?? 0;
        var ownerColumn = current?.OwnerColumn;
        var seen = new HashSet<SequenceOptionKind>();
        foreach (var option in options)
        {
            if (!seen.Add(option.Kind))
            {
                throw new SqlException(SqlState.SyntaxError, "conflicting or redundant options");
            }

            switch (option.Kind)
            {
                case SequenceOptionKind.As:
                    typeName = SequenceTypeName(SqlType.FromTypeName(option.Type!));
                    break;
                case SequenceOptionKind.Increment:
                    increment = option.Value;
                    break;
                case SequenceOptionKind.MinValue:
                    min = (true, option.Value);
                    break;
                case SequenceOptionKind.MaxValue:
                    max = (true, option.Value);
                    break;
                case SequenceOptionKind.Start:
                    start = option.Value;
                    break;
                case SequenceOptionKind.Restart:
                    restart = option.Value ?? start ?? current?.Start;
                    break;
                case SequenceOptionKind.Cache:
                    cache = option.Value;
                    break;
                case SequenceOptionKind.Cycle:
                    cycle = option.Value == 1;
                    break;
                case SequenceOptionKind.OwnedBy:
                    (ownership, ownerTable, ownerColumn) = Owner(catalog, schema, option.Owner, ownership);
                    break;
            }
        }

        var (typeMin, typeMax) = SequenceTypeRange(typeName);
        var step = increment ?? current?.Increment ?? 1;
        if (step == 0)
        {
            throw new SqlException(SqlState.InvalidParameterValue, "INCREMENT must not be zero");
        }

        // An unset bound keeps the current one, unless it was the old type's limit (then it is the new type's).
        var (oldMin, oldMax) = current is null ? (long.MinValue, long.MaxValue) : SequenceTypeRange(current.TypeName);
        var minValue = min.Set ? min.Value ?? (step > 0 ? 1 : typeMin)
            : current is null ? (step > 0 ? 1 : typeMin)
            : current.MinValue == oldMin ? typeMin : current.MinValue;
        var maxValue = max.Set ? max.Value ?? (step > 0 ? typeMax : -1)
            : current is null ? (step > 0 ? typeMax : -1)
            : current.MaxValue == oldMax ? typeMax : current.MaxValue;

        if (minValue < typeMin || minValue > typeMax)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"MINVALUE ({minValue}) is out of range for sequence data type {typeName}");
        }

        if (maxValue < typeMin || maxValue > typeMax)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"MAXVALUE ({maxValue}) is out of range for sequence data type {typeName}");
        }

        var definition = new SequenceDefinition(
            current?.Id ?? 0,
            schema,
            name,
            typeName,
            start ?? current?.Start ?? (step > 0 ? minValue : maxValue),
            step,
            minValue,
            maxValue,
            cycle ?? current?.Cycle ?? false,
            cache ?? current?.Cache ?? 1,
            ownership,
            ownerTable,
            ownerColumn);
        definition.Validate();
        return (definition, restart);
    }

    /// <summary>OWNED BY table.column (same schema as the sequence) or NONE.</summary>
    private static (SequenceOwnership, ulong, string?) Owner(CatalogSnapshot catalog, string schema, QualifiedName? owner, SequenceOwnership current)
    {
        if (owner is null)
        {
            return (current is SequenceOwnership.IdentityAlways or SequenceOwnership.IdentityByDefault ? current : SequenceOwnership.None, 0, null);
        }

        if (owner.Parts.Count < 2)
        {
            throw new SqlException(SqlState.InvalidParameterValue, "invalid OWNED BY option", hint: "Specify OWNED BY table.column or OWNED BY NONE.");
        }

        var tableSchema = owner.Parts.Count > 2 ? owner.Parts[^3] : CatalogSnapshot.PublicSchema;
        var table = catalog.FindTable(tableSchema, owner.Parts[^2])
            ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{owner.Parts[^2]}\" does not exist");
        if (table.Schema != schema)
        {
            throw new SqlException(SqlState.ObjectNotInPrerequisiteState, "sequence must be in same schema as table it is linked to");
        }

        var column = owner.Parts[^1];
        if (table.IndexOf(column) < 0)
        {
            throw new SqlException(SqlState.UndefinedColumn, $"column \"{column}\" of relation \"{table.Name}\" does not exist");
        }

        return (SequenceOwnership.Owned, table.Id, column);
    }

    /// <summary>The sequence type for an integer type; PostgreSQL allows no other.</summary>
    private static string SequenceTypeName(SqlType type) => type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8
        ? type.DisplayName
        : throw new SqlException(SqlState.InvalidParameterValue, "sequence type must be smallint, integer, or bigint");

    private static (long Min, long Max) SequenceTypeRange(string typeName) => typeName switch
    {
        "smallint" => (short.MinValue, short.MaxValue),
        "integer" => (int.MinValue, int.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    /// <summary>
    /// The serial pseudo-types: an integer column whose default takes the next value of a sequence it owns.
    /// Returns the column's real type, or null when the type is not one of them.
    /// </summary>
    private static SqlType? SerialType(TypeName type) => type.IsArray ? null : type.Name.Name switch
    {
        "serial" or "serial4" => SqlType.Int4,
        "bigserial" or "serial8" => SqlType.Int8,
        "smallserial" or "serial2" => SqlType.Int2,
        _ => null,
    };

    /// <summary>A serial or identity column of a new table and the sequence it will own.</summary>
    private sealed record ColumnSequence(string Column, string Sequence, SequenceOwnership Ownership, SyntaxList<SequenceOption>? Options);

    /// <summary>
    /// The sequences a new table's serial and identity columns will own, named <c>table_column_seq</c> (with a
    /// number appended when that is taken), chosen before the table exists so its definition can name them.
    /// </summary>
    private static List<ColumnSequence> PlanColumnSequences(CatalogSnapshot catalog, string schema, CreateTableStatement create)
    {
        var planned = new List<ColumnSequence>();
        foreach (var column in create.Columns)
        {
            var identity = column.Constraints.FirstOrDefault(c => c.Kind is ColumnConstraintKind.IdentityAlways or ColumnConstraintKind.IdentityByDefault);
            var hasDefault = column.Constraints.Any(c => c.Kind == ColumnConstraintKind.Default);
            SequenceOwnership ownership;
            if (SerialType(column.Type) is not null)
            {
                if (identity is not null || hasDefault)
                {
                    throw new SqlException(SqlState.SyntaxError, $"multiple default values specified for column \"{column.Name}\" of table \"{create.Name.Name}\"");
                }

                ownership = SequenceOwnership.Owned;
            }
            else if (identity is not null)
            {
                if (hasDefault)
                {
                    throw new SqlException(SqlState.SyntaxError, $"both default and identity specified for column \"{column.Name}\" of table \"{create.Name.Name}\"");
                }

                if (SqlType.FromTypeName(column.Type).Kind is not (SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8))
                {
                    throw new SqlException(SqlState.InvalidParameterValue, "identity column type must be smallint, integer, or bigint");
                }

                ownership = identity.Kind == ColumnConstraintKind.IdentityAlways ? SequenceOwnership.IdentityAlways : SequenceOwnership.IdentityByDefault;
            }
            else
            {
                continue;
            }

            var name = OwnedSequenceName(catalog, schema, create.Name.Name, column.Name, identity?.SequenceOptions, planned);
            planned.Add(new ColumnSequence(column.Name, name, ownership, identity?.SequenceOptions));
        }

        return planned;
    }

    /// <summary>
    /// The name of the sequence a serial or identity column will own: the identity's <c>SEQUENCE NAME</c> (as
    /// pg_dump writes it), else <c>table_column_seq</c> with a number appended while that is taken.
    /// </summary>
    private static string OwnedSequenceName(
        CatalogSnapshot catalog, string schema, string table, string column, SyntaxList<SequenceOption>? options, List<ColumnSequence> planned)
    {
        if (options?.FirstOrDefault(o => o.Kind == SequenceOptionKind.SequenceName)?.Owner is { } given)
        {
            if (catalog.RelationExists(given.Schema ?? schema, given.Name) || planned.Any(p => p.Sequence == given.Name))
            {
                throw new SqlException(SqlState.DuplicateTable, $"relation \"{given.Name}\" already exists");
            }

            return given.Name;
        }

        return ObjectNames.Choose($"{table}_{column}_seq", name => catalog.RelationExists(schema, name) || name == table || planned.Any(p => p.Sequence == name));
    }

    /// <summary>
    /// The DEFAULT PostgreSQL writes for a serial column. Identity columns have none: they take their values
    /// through the sequence they own, found at insert time.
    /// </summary>
    private static string SerialDefault(string schema, string sequence) =>
        $"nextval('{Sql.Catalog.PgCatalog.RelationText(schema, sequence).Replace("'", "''", StringComparison.Ordinal)}'::regclass)";

    /// <summary>Creates the sequences <see cref="PlanColumnSequences"/> chose, owned by the new table's columns.</summary>
    private static void CreateColumnSequences(StatementContext context, TableDefinition table, List<ColumnSequence> sequences)
    {
        var tx = context.Transaction;
        foreach (var (column, name, ownership, options) in sequences)
        {
            var asType = new SequenceOption(SequenceOptionKind.As, Type: SqlParserTypeName(table.Columns[table.IndexOf(column)].TypeName));
            var (definition, _) = ApplySequenceOptions(null, table.Schema, name, [asType, .. options ?? SyntaxList<SequenceOption>.Empty], tx.Catalog);
            tx.CreateSequence(definition with { Ownership = ownership, OwnerTableId = table.Id, OwnerColumn = column });
        }
    }

    /// <summary>
    /// DROP SEQUENCE of one sequence: a sequence an identity column uses cannot go; one a serial column's default
    /// uses goes only with CASCADE, which removes that default, as PostgreSQL's dependency does.
    /// </summary>
    private static void DropSequence(StatementContext context, SequenceDefinition sequence, bool cascade)
    {
        var tx = context.Transaction;
        if (sequence.Ownership != SequenceOwnership.None && tx.Catalog.FindTable(sequence.OwnerTableId) is { } table && table.IndexOf(sequence.OwnerColumn!) is var ordinal and >= 0)
        {
            var column = table.Columns[ordinal];
            if (sequence.IsIdentity)
            {
                throw new SqlException(
                    SqlState.DependentObjectsStillExist,
                    $"cannot drop sequence {Shown(sequence.Schema, sequence.Name)} because column {column.Name} of table {Shown(table.Schema, table.Name)} requires it",
                    hint: $"You can drop column {column.Name} of table {Shown(table.Schema, table.Name)} instead.");
            }

            if (column.DefaultExpression == SerialDefault(sequence.Schema, sequence.Name))
            {
                if (!cascade)
                {
                    throw new SqlException(
                        SqlState.DependentObjectsStillExist,
                        $"cannot drop sequence {Shown(sequence.Schema, sequence.Name)} because other objects depend on it",
                        detail: $"default value for column {column.Name} of table {Shown(table.Schema, table.Name)} depends on sequence {Shown(sequence.Schema, sequence.Name)}",
                        hint: "Use DROP ... CASCADE to drop the dependent objects too.");
                }

                context.Notices.Add($"drop cascades to default value for column {column.Name} of table {Shown(table.Schema, table.Name)}");
                var columns = table.Columns.ToList();
                columns[ordinal] = column with { DefaultExpression = null };
                tx.AlterTable(table, new TableDefinition(table.Id, table.Schema, table.Name, columns, table.PrimaryKey, table.TimeColumn, table.Ttl, table.Options, table.Version + 1));
            }
        }

        tx.DropSequence(sequence);
    }

    /// <summary>An object's name as PostgreSQL's dependency messages show it: qualified unless in public.</summary>
    private static string Shown(string schema, string name) => schema == CatalogSnapshot.PublicSchema ? name : schema + "." + name;

    /// <summary>TRUNCATE ... RESTART IDENTITY: the sequences the table's columns own start over, at once.</summary>
    private static void RestartOwnedSequences(StatementContext context, TableDefinition table)
    {
        foreach (var sequence in context.Transaction.Catalog.SequencesOwnedBy(table.Id))
        {
            context.Transaction.SetSequenceValue(sequence, sequence.Start, isCalled: false);
        }
    }

    /// <summary>
    /// Keeps owned sequences with their column through ALTER TABLE: a renamed column takes its sequences along,
    /// a dropped one drops them (PostgreSQL's dependency). <paramref name="origins"/> maps each column that
    /// changed name to the name it had (null for one added new), as the ALTER built it.
    /// </summary>
    /// <remarks>A rewrite's new table id is already on the sequences: <see cref="Engine.Transactions.Transaction.AlterTable"/> moves them.</remarks>
    private static void FollowColumnChanges(StatementContext context, TableDefinition altered, Dictionary<string, string?> origins)
    {
        var tx = context.Transaction;
        var renamedTo = origins.Where(o => o.Value is not null).ToDictionary(o => o.Value!, o => o.Key, StringComparer.Ordinal);
        foreach (var sequence in tx.Catalog.SequencesOwnedBy(altered.Id))
        {
            var owner = sequence.OwnerColumn!;

            // A column now under the owner's old name that came from elsewhere is not the owner.
            var name = renamedTo.TryGetValue(owner, out var renamed) ? renamed : origins.ContainsKey(owner) ? null : owner;
            if (name is null || altered.IndexOf(name) < 0)
            {
                tx.DropSequence(sequence);
            }
            else if (name != owner)
            {
                tx.AlterSequence(sequence, sequence with { OwnerColumn = name });
            }
        }
    }

    private static TypeName SqlParserTypeName(string typeName) => Parser.SqlParser.ParseTypeName(typeName);
}
