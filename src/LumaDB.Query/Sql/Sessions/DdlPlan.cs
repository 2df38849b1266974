using System.Globalization;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;
using StoredColumn = LumaDB.Engine.Catalog.ColumnDefinition;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>Schema statements (CREATE/DROP/ALTER TABLE, INDEX, VIEW, SCHEMA, TRUNCATE), run against the transaction's catalog.</summary>
internal sealed partial class DdlPlan(ulong catalogVersion, Statement statement, QueryPlanner planner) : StatementPlan(catalogVersion)
{
    public override async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters)
    {
        var tx = context.Transaction;
        var catalog = tx.Catalog;
        switch (statement)
        {
            case CreateTableStatement create:
                {
                    var schema = create.Name.Schema ?? CatalogSnapshot.PublicSchema;
                    if (catalog.FindTable(schema, create.Name.Name) is not null || catalog.FindView(schema, create.Name.Name) is not null)
                    {
                        if (create.IfNotExists)
                        {
                            context.Notices.Add($"relation \"{create.Name.Name}\" already exists, skipping");
                            return Done("CREATE TABLE");
                        }

                        throw new SqlException(SqlState.DuplicateTable, $"relation \"{create.Name.Name}\" already exists");
                    }

                    foreach (var column in create.Columns)
                    {
                        if (column.Constraints.FirstOrDefault(c => c.Kind == ColumnConstraintKind.Default)?.Expression is { } expression && SerialType(column.Type) is null)
                        {
                            CheckDefault(expression, SqlType.FromTypeName(column.Type), column.Name);
                        }
                    }

                    var sequences = PlanColumnSequences(catalog, schema, create);
                    var checks = create.Columns.SelectMany(c => c.Constraints.Where(k => k.Kind == ColumnConstraintKind.Check).Select(k => (k.Name, k.Expression!)))
                        .Concat(create.Constraints.Where(k => k.Kind == TableConstraintKind.Check).Select(k => (k.Name, k.Check!)));
                    var created = tx.CreateTable(WithChecks(BuildTable(schema, create, sequences), checks));
                    CreateColumnSequences(context, created, sequences);
                    foreach (var (uniqueName, uniqueColumns) in UniqueConstraintsOf(create))
                    {
                        await AddUniqueAsync(context, tx.Catalog.FindTable(created.Id)!, uniqueName, uniqueColumns, constraint: true).ConfigureAwait(false);
                    }

                    await AddForeignKeysAsync(context, created.Id, ForeignKeysOf(create)).ConfigureAwait(false);

                    return Done("CREATE TABLE");
                }

            case CreateTableAsStatement createAs:
                {
                    var schema = createAs.Name.Schema ?? CatalogSnapshot.PublicSchema;
                    if (catalog.FindTable(schema, createAs.Name.Name) is not null)
                    {
                        if (createAs.IfNotExists)
                        {
                            return Done("CREATE TABLE AS");
                        }

                        throw new SqlException(SqlState.DuplicateTable, $"relation \"{createAs.Name.Name}\" already exists");
                    }

                    var query = planner.PlanQuery(createAs.Query);
                    var columns = query.Columns.Select((c, i) => new StoredColumn(
                        i < createAs.Columns.Count ? createAs.Columns[i] : c.Name, c.Type.DisplayName, StorageValues.KindOf(c.Type))).ToList();
                    columns.Add(new StoredColumn(QueryPlanner.RowIdColumn, "bigint", LumaDB.Storage.Segments.SegmentColumnKind.Int64, NotNull: true));
                    var table = tx.CreateTable(new TableDefinition(0, schema, createAs.Name.Name, columns, [columns.Count - 1]));
                    long count = 0;
                    if (createAs.WithData)
                    {
                        var runtime = await context.StartAsync(planner.Scans, parameters).ConfigureAwait(false);
                        var types = query.Columns.Select(c => c.Type).Append(SqlType.Int8).ToArray();
                        foreach (var batch in query.Run(runtime).ToList())
                        {
                            for (var r = 0; r < batch.RowCount; r++)
                            {
                                var values = BatchOps.Row(batch, r).Append(RowIds.Next()).ToArray();
                                tx.Put(table, StorageValues.Encode(table.Layout, types, values));
                                count++;
                            }
                        }
                    }

                    return Done("SELECT " + count.ToString(CultureInfo.InvariantCulture));
                }

            case DropStatement drop:
                return Drop(context, drop);
            case AlterTableStatement alter:
                return await AlterAsync(context, alter, parameters).ConfigureAwait(false);
            case CommentStatement comment:
                return Comment(context, comment);
            case TruncateStatement truncate:
                foreach (var table in WithReferencingTables(context, [.. truncate.Tables.Select(name => RequireTable(catalog, name))], truncate.Behavior == DropBehavior.Cascade))
                {
                    tx.Truncate(table);
                    if (truncate.RestartIdentity)
                    {
                        RestartOwnedSequences(context, table);
                    }
                }

                return Done("TRUNCATE TABLE");
            case CreateSchemaStatement schema:
                {
                    var name = schema.Name ?? schema.Authorization ?? throw new SqlException(SqlState.SyntaxError, "schema name required");
                    if (catalog.Schemas.Contains(name))
                    {
                        if (schema.IfNotExists)
                        {
                            context.Notices.Add($"schema \"{name}\" already exists, skipping");
                            return Done("CREATE SCHEMA");
                        }

                        throw new SqlException(SqlState.DuplicateSchema, $"schema \"{name}\" already exists");
                    }

                    tx.CreateSchema(name);
                    return Done("CREATE SCHEMA");
                }

            case CreateViewStatement view:
                {
                    if (view.Materialized)
                    {
                        throw new SqlException(SqlState.FeatureNotSupported, "materialized views are not supported");
                    }

                    var schema = view.Name.Schema ?? CatalogSnapshot.PublicSchema;
                    if (catalog.FindTable(schema, view.Name.Name) is not null || (!view.OrReplace && catalog.FindView(schema, view.Name.Name) is not null))
                    {
                        if (view.IfNotExists)
                        {
                            return Done("CREATE VIEW");
                        }

                        throw new SqlException(SqlState.DuplicateTable, $"relation \"{view.Name.Name}\" already exists");
                    }

                    // Planning checks names and types now, as PostgreSQL does at CREATE VIEW.
                    var plan = planner.PlanQuery(view.Query);
                    var names = plan.Columns.Select((c, i) => i < view.Columns.Count ? view.Columns[i] : c.Name).ToArray();
                    tx.CreateView(new ViewDefinition(0, schema, view.Name.Name, SqlFormatter.Format(view.Query), names), view.OrReplace);
                    return Done("CREATE VIEW");
                }

            case CreateIndexStatement index:
                {
                    var table = RequireTable(catalog, index.Table);
                    var columns = index.Elements.Select(e => e.Expression is ColumnReference c && table.IndexOf(c.Name) >= 0
                        ? c.Name
                        : throw new SqlException(SqlState.FeatureNotSupported, "indexes are supported on plain columns only")).ToArray();
                    var name = index.Name ?? $"{table.Name}_{string.Join('_', columns)}_idx";
                    if (catalog.Indexes.Any(i => i.Schema == table.Schema && i.Name == name))
                    {
                        if (index.IfNotExists)
                        {
                            context.Notices.Add($"relation \"{name}\" already exists, skipping");
                            return Done("CREATE INDEX");
                        }

                        throw new SqlException(SqlState.DuplicateTable, $"relation \"{name}\" already exists");
                    }

                    var options = index.Options.ToDictionary(o => o.Name, o => o.Value is null ? "true" : OptionText(o.Value), StringComparer.Ordinal);
                    if (index.Unique)
                    {
                        if ((index.Method ?? "btree") != "btree")
                        {
                            throw new SqlException(SqlState.FeatureNotSupported, $"access method \"{index.Method}\" does not support unique indexes");
                        }

                        await AddUniqueAsync(context, table, name, columns, constraint: false, options).ConfigureAwait(false);
                        return Done("CREATE INDEX");
                    }

                    tx.CreateIndex(new IndexDefinition(0, table.Schema, name, table.Id, columns, index.Method ?? "btree", index.Unique, options));
                    return Done("CREATE INDEX");
                }

            case CreateSequenceStatement createSequence:
                return CreateSequence(context, createSequence);
            case AlterSequenceStatement alterSequence:
                return AlterSequence(context, alterSequence);
            case CreateRoleStatement createRole:
                return RoleStatements.Create(context, createRole);
            case AlterRoleStatement alterRole:
                return RoleStatements.Alter(context, alterRole);
            default:
                throw new SqlException(SqlState.FeatureNotSupported, $"statement not supported: {statement.GetType().Name.Replace("Statement", string.Empty, StringComparison.Ordinal)}");
        }
    }

    private static StatementOutcome Done(string tag) => new([], null, tag);

    /// <summary>
    /// A column DEFAULT is checked when it is declared, as PostgreSQL does: it must bind without columns and fit the
    /// column's type, else the table would take the definition and fail every insert that needs the default.
    /// </summary>
    private void CheckDefault(Expression expression, SqlType type, string column)
    {
        try
        {
            planner.CoerceForAssignment(planner.BindOver([], expression, topLevel: false), type, column);
        }
        catch (SqlException e) when (e.SqlState == SqlState.UndefinedColumn)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "cannot use column reference in DEFAULT expression") { Position = e.Position };
        }
    }

    /// <summary>COMMENT ON TABLE / COLUMN: sets or (IS NULL) removes the text, a catalog change only.</summary>
    private static StatementOutcome Comment(StatementContext context, CommentStatement comment)
    {
        var tx = context.Transaction;
        var parts = comment.Name.Parts;
        if (comment.OnColumn && parts.Count < 2)
        {
            throw new SqlException(SqlState.SyntaxError, "column name must be qualified");
        }

        var tableName = comment.OnColumn ? new QualifiedName(SyntaxList.From(parts.Take(parts.Count - 1).ToList())) : comment.Name;
        var table = RequireTable(tx.Catalog, tableName);
        var key = TableComments.TableOption;
        if (comment.OnColumn)
        {
            var column = parts[^1];
            if (table.IndexOf(column) < 0 || column == QueryPlanner.RowIdColumn)
            {
                throw new SqlException(SqlState.UndefinedColumn, $"column \"{column}\" of relation \"{table.Name}\" does not exist");
            }

            key = TableComments.ColumnPrefix + column;
        }

        var options = table.Options.Where(o => o.Key != key).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        if (comment.Text is { Length: > 0 } text)
        {
            options[key] = text;
        }

        tx.AlterTable(table, table.WithOptions(options));
        return Done("COMMENT");
    }

    /// <summary>ADD PRIMARY KEY on existing rows: the key columns must hold no NULL and no repeated key, as for a new unique index.</summary>
    /// <remarks>
    /// Keys are compared as values, not as formatted text: a single integer column (the common case, e.g. after
    /// a bulk load) goes into a set of longs straight from the column arrays; other keys are compared
    /// element-wise. Text is made only for the error message.
    /// </remarks>
    private static async ValueTask CheckNewKeyAsync(StatementContext context, TableDefinition table, TableConstraint key, string indexName)
    {
        var ordinals = key.Columns.Select(table.IndexOf).ToArray();
        var types = QueryPlanner.TypesOf(table);
        var integers = ordinals.Length == 1 && types[ordinals[0]].Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8
            ? new HashSet<long>()
            : null;
        var seen = integers is null ? new HashSet<object?[]>(RowComparer.Instance) : null;
        await foreach (var batch in context.Transaction.ScanAsync(table, null, context.Cancellation).ConfigureAwait(false))
        {
            var vectors = new ColumnVector[ordinals.Length];
            for (var k = 0; k < vectors.Length; k++)
            {
                vectors[k] = StorageValues.Read(batch.Column(ordinals[k]), types[ordinals[k]]);
                for (var r = 0; r < batch.Length; r++)
                {
                    if (vectors[k].IsNull(r))
                    {
                        throw new SqlException(SqlState.NotNullViolation, $"column \"{key.Columns[k]}\" of relation \"{table.Name}\" contains null values");
                    }
                }
            }

            for (var r = 0; r < batch.Length; r++)
            {
                bool added;
                if (integers is not null)
                {
                    added = vectors[0].Values switch
                    {
                        long[] longs => integers.Add(longs[r]),
                        int[] ints => integers.Add(ints[r]),
                        short[] shorts => integers.Add(shorts[r]),
                        var other => integers.Add(Convert.ToInt64(other.GetValue(r), CultureInfo.InvariantCulture)),
                    };
                }
                else
                {
                    var values = new object?[vectors.Length];
                    for (var k = 0; k < values.Length; k++)
                    {
                        values[k] = vectors[k].GetValue(r);
                    }

                    added = seen!.Add(values);
                }

                if (!added)
                {
                    var text = string.Join(", ", vectors.Select((v, k) => SqlText.Format(v.GetValue(r)!, types[ordinals[k]])));
                    throw new SqlException(
                        SqlState.UniqueViolation,
                        $"could not create unique index \"{indexName}\"",
                        detail: $"Key ({string.Join(", ", key.Columns)})=({text}) is duplicated.");
                }
            }
        }
    }

    /// <summary>
    /// ADD CONSTRAINT ... CHECK on existing rows: every row must pass the constraints the table did not have
    /// before, as PostgreSQL validates them (23514 naming the constraint). Rows are read as they are stored now,
    /// so the conditions are bound over the current columns.
    /// </summary>
    private async ValueTask CheckExistingRowsAsync(StatementContext context, TableDefinition current, TableDefinition altered, IReadOnlyList<object?> parameters)
    {
        var columns = TableRows.ColumnsOf(current);
        var checks = CheckConstraints.Of(altered).Where(c => !CheckConstraints.Has(current, c.Name))
            .Select(c => (c.Name, Condition: CheckConstraints.BindCondition(planner, columns, Parser.SqlParser.ParseExpression(c.Condition)))).ToArray();
        var runtime = await context.StartAsync(planner.Scans, parameters).ConfigureAwait(false);
        var types = QueryPlanner.TypesOf(current);
        await foreach (var batch in context.Transaction.ScanAsync(current, null, context.Cancellation).ConfigureAwait(false))
        {
            var vectors = types.Select((t, c) => StorageValues.Read(batch.Column(c), t)).ToArray();
            foreach (var (checkName, condition) in checks)
            {
                var result = runtime.Evaluator.Evaluate(condition, vectors, batch.Length);
                for (var r = 0; r < batch.Length; r++)
                {
                    if (!result.IsNull(r) && !result.As<bool>()[r])
                    {
                        throw new SqlException(SqlState.CheckViolation, $"check constraint \"{checkName}\" of relation \"{current.Name}\" is violated by some row");
                    }
                }
            }
        }
    }

    /// <summary>Whether a stored condition names <paramref name="column"/> (an identifier token equal to it).</summary>
    private static bool ReadsColumn(string condition, string column) =>
        Parser.SqlLexer.Tokenize(condition).Any(t => IsColumnToken(condition, t, column));

    /// <summary>A stored condition with every reference to column <paramref name="from"/> renamed to <paramref name="to"/>.</summary>
    private static string RenameColumnIn(string condition, string from, string to)
    {
        var text = new System.Text.StringBuilder(condition.Length);
        var at = 0;
        foreach (var token in Parser.SqlLexer.Tokenize(condition).Where(t => IsColumnToken(condition, t, from)))
        {
            text.Append(condition, at, token.Start - at).Append(Catalog.PgCatalog.QuoteIdentifier(to));
            at = token.Start + token.Length;
        }

        return text.Append(condition, at, condition.Length - at).ToString();
    }

    private static bool IsColumnToken(string source, Parser.SqlToken token, string column) =>
        token.Kind is Parser.SqlTokenKind.Identifier or Parser.SqlTokenKind.QuotedIdentifier
        && token.Text == column
        && !source.AsSpan(token.Start + token.Length).TrimStart().StartsWith("(");

    /// <summary>
    /// <paramref name="table"/> with CHECK constraints added: each condition bound over the table's columns now
    /// (errors at CREATE/ALTER, as in PostgreSQL), unnamed ones named as PostgreSQL names them, in the order
    /// PostgreSQL takes them (column constraints, then table constraints).
    /// </summary>
    private TableDefinition WithChecks(TableDefinition table, IEnumerable<(string? Name, Expression Condition)> added)
    {
        var checks = added.ToList();
        if (checks.Count == 0)
        {
            return table;
        }

        var options = table.Options.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        var existing = new HashSet<string>(options.Keys.Where(k => k.StartsWith(CheckConstraints.OptionPrefix, StringComparison.Ordinal))
            .Select(k => k[CheckConstraints.OptionPrefix.Length..]), StringComparer.Ordinal) { Catalog.PgCatalog.PrimaryKeyName(table) };
        var taken = new HashSet<string>(existing, StringComparer.Ordinal);
        var columns = TableRows.ColumnsOf(table);
        foreach (var (name, condition) in checks)
        {
            if (name is not null && existing.Contains(name))
            {
                throw new SqlException(SqlState.DuplicateObject, $"constraint \"{name}\" for relation \"{table.Name}\" already exists");
            }

            if (name is not null && !taken.Add(name))
            {
                throw new SqlException(SqlState.DuplicateObject, $"check constraint \"{name}\" already exists");
            }

            var bound = CheckConstraints.BindCondition(planner, columns, condition);
            options[CheckConstraints.OptionPrefix + (name ?? CheckConstraints.NameFor(table.Name, bound, columns, taken))] = SqlFormatter.Format(condition);
        }

        return table.WithOptions(options);
    }

    private static TableDefinition RequireTable(CatalogSnapshot catalog, QualifiedName name) =>
        catalog.FindTable(name.Schema ?? CatalogSnapshot.PublicSchema, name.Name)
        ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', name.Parts)}\" does not exist");

    private static TableDefinition BuildTable(string schema, CreateTableStatement create, List<ColumnSequence> sequences)
    {
        var columns = new List<StoredColumn>();
        var primaryKey = new List<int>();
        foreach (var column in create.Columns)
        {
            if (columns.Any(c => c.Name == column.Name))
            {
                throw new SqlException(SqlState.DuplicateColumn, $"column \"{column.Name}\" specified more than once");
            }

            var type = SerialType(column.Type) ?? SqlType.FromTypeName(column.Type);
            var sequence = sequences.Find(s => s.Column == column.Name);
            var notNull = sequence is not null || column.Constraints.Any(c => c.Kind is ColumnConstraintKind.NotNull or ColumnConstraintKind.PrimaryKey);
            var defaultValue = column.Constraints.FirstOrDefault(c => c.Kind == ColumnConstraintKind.Default)?.Expression;
            if (column.Constraints.Any(c => c.Kind == ColumnConstraintKind.PrimaryKey))
            {
                primaryKey.Add(columns.Count);
            }

            var defaultText = sequence is { Ownership: SequenceOwnership.Owned } ? SerialDefault(schema, sequence.Sequence)
                : defaultValue is null ? null : SqlFormatter.Format(defaultValue);
            columns.Add(new StoredColumn(column.Name, type.DisplayName, StorageValues.KindOf(type), notNull, defaultText));
        }

        foreach (var constraint in create.Constraints.Where(c => c.Kind == TableConstraintKind.PrimaryKey))
        {
            if (primaryKey.Count > 0)
            {
                throw new SqlException(SqlState.InvalidTableDefinition, $"multiple primary keys for table \"{create.Name.Name}\" are not allowed");
            }

            foreach (var name in constraint.Columns)
            {
                var index = columns.FindIndex(c => c.Name == name);
                if (index < 0)
                {
                    throw new SqlException(SqlState.UndefinedColumn, $"column \"{name}\" named in key does not exist");
                }

                primaryKey.Add(index);
                columns[index] = columns[index] with { NotNull = true };
            }
        }

        if (primaryKey.Count == 0)
        {
            // Without a declared key every row gets a hidden row id, so duplicate rows are kept as in PostgreSQL.
            columns.Add(new StoredColumn(QueryPlanner.RowIdColumn, "bigint", LumaDB.Storage.Segments.SegmentColumnKind.Int64, NotNull: true));
            primaryKey.Add(columns.Count - 1);
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var timeColumn = -1;
        TimeSpan? ttl = null;
        foreach (var option in create.Options)
        {
            var value = option.Value is null ? "true" : OptionText(option.Value);
            switch (option.Name)
            {
                case "time_index":
                    timeColumn = columns.FindIndex(c => c.Name == value);
                    if (timeColumn < 0 || columns[timeColumn].StorageKind != LumaDB.Storage.Segments.SegmentColumnKind.TimestampMicros)
                    {
                        throw new SqlException(SqlState.InvalidTableDefinition, $"time_index \"{value}\" must name a timestamp column of the table");
                    }

                    break;
                case "ttl":
                    ttl = ParseTtl(value);
                    break;
                case TableDefinition.CompactionMinSegmentsOption:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minSegments) || minSegments < 2)
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, $"invalid {option.Name} \"{value}\"", "Use a whole number of segments, 2 or more.");
                    }

                    options[option.Name] = minSegments.ToString(CultureInfo.InvariantCulture);
                    break;
                case TableDefinition.CompactionWindowOption:
                    var window = ParseTtl(value, option.Name);
                    if (window < TimeSpan.FromSeconds(1))
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, $"invalid {option.Name} \"{value}\"", "Use a window of a second or more.");
                    }

                    options[option.Name] = $"{(long)window.TotalSeconds}s";
                    break;
                default:
                    options[option.Name] = value;
                    break;
            }
        }

        return new TableDefinition(0, schema, create.Name.Name, columns, primaryKey, timeColumn, ttl, options);
    }

    /// <summary>A retention like <c>30d</c>, <c>12h</c>, <c>2w</c> or an interval (<c>30 days</c>).</summary>
    private static TimeSpan ParseTtl(string text, string option = "ttl")
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 1 && long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            switch (trimmed[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
                case 'w': return TimeSpan.FromDays(7 * n);
            }
        }

        try
        {
            var interval = (SqlInterval)SqlText.Parse(trimmed, SqlType.Interval)!;
            return TimeSpan.FromDays((interval.Months * 30.0) + interval.Days) + TimeSpan.FromMicroseconds(interval.Microseconds);
        }
        catch (SqlException)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"invalid {option} \"{text}\"", "Use a number with s, m, h, d or w, or an interval such as '30 days'.");
        }
    }

    private static string OptionText(Expression value) => value switch
    {
        StringLiteral s => s.Value,
        IntegerLiteral i => i.Value.ToString(CultureInfo.InvariantCulture),
        NumericLiteral n => n.Text,
        BooleanLiteral b => b.Value ? "true" : "false",
        _ => SqlFormatter.Format(value),
    };

    private static StatementOutcome Drop(StatementContext context, DropStatement drop)
    {
        var tx = context.Transaction;
        var catalog = tx.Catalog;
        var cascade = drop.Behavior == DropBehavior.Cascade;
        var (kind, tag) = drop.Kind switch
        {
            DropObjectKind.Table => ("table", "DROP TABLE"),
            DropObjectKind.View => ("view", "DROP VIEW"),
            DropObjectKind.Index => ("index", "DROP INDEX"),
            DropObjectKind.Schema => ("schema", "DROP SCHEMA"),
            DropObjectKind.Role => ("role", "DROP ROLE"),
            DropObjectKind.Sequence => ("sequence", "DROP SEQUENCE"),
            _ => throw new SqlException(SqlState.FeatureNotSupported, $"DROP {drop.Kind} is not supported"),
        };
        foreach (var name in drop.Names)
        {
            var schema = name.Schema ?? CatalogSnapshot.PublicSchema;
            var found = true;
            switch (drop.Kind)
            {
                case DropObjectKind.Table when catalog.FindTable(schema, name.Name) is { } table:
                    DropReferencingKeys(
                        context,
                        table,
                        [.. drop.Names.Select(n => catalog.FindTable(n.Schema ?? CatalogSnapshot.PublicSchema, n.Name)?.Id ?? 0)],
                        cascade);
                    tx.DropTable(tx.Catalog.FindTable(table.Id)!);
                    break;
                case DropObjectKind.View when catalog.FindView(schema, name.Name) is { } view:
                    tx.DropView(view);
                    break;
                case DropObjectKind.Index when catalog.Indexes.FirstOrDefault(i => i.Name == name.Name && (name.Schema is null || i.Schema == name.Schema)) is { } index:
                    if (IsUniqueConstraint(index) && catalog.FindTable(index.TableId) is { } owner)
                    {
                        throw new SqlException(
                            SqlState.DependentObjectsStillExist,
                            $"cannot drop index {index.Name} because constraint {index.Name} on table {owner.Name} requires it",
                            hint: $"You can drop constraint {index.Name} on table {owner.Name} instead.");
                    }

                    RequireNoReferencingKeys(catalog, index);
                    tx.DropIndex(index);
                    break;
                case DropObjectKind.Schema when catalog.Schemas.Contains(name.Name):
                    tx.DropSchema(name.Name, cascade);
                    break;
                case DropObjectKind.Role when RoleStatements.Drop(context, name.Name):
                    break;
                case DropObjectKind.Sequence when catalog.FindSequence(schema, name.Name) is { } sequence:
                    DropSequence(context, sequence, cascade);
                    break;
                default:
                    found = false;
                    break;
            }

            if (!found)
            {
                if (!drop.IfExists)
                {
                    throw new SqlException(drop.Kind == DropObjectKind.Schema ? SqlState.InvalidSchemaName : drop.Kind is DropObjectKind.Index or DropObjectKind.Role ? SqlState.UndefinedObject : SqlState.UndefinedTable, $"{kind} \"{name.Name}\" does not exist");
                }

                context.Notices.Add($"{kind} \"{name.Name}\" does not exist, skipping");
            }
        }

        return Done(tag);
    }

    private async ValueTask<StatementOutcome> AlterAsync(StatementContext context, AlterTableStatement alter, IReadOnlyList<object?> parameters)
    {
        var tx = context.Transaction;
        var current = tx.Catalog.FindTable(alter.Table.Schema ?? CatalogSnapshot.PublicSchema, alter.Table.Name);
        if (current is null)
        {
            if (alter.IfExists)
            {
                context.Notices.Add($"relation \"{alter.Table.Name}\" does not exist, skipping");
                return Done("ALTER TABLE");
            }

            throw new SqlException(SqlState.UndefinedTable, $"relation \"{alter.Table.Name}\" does not exist");
        }

        var columns = current.Columns.ToList();
        var primaryKey = current.PrimaryKey.Select(i => columns[i].Name).ToList();
        var name = current.Name;
        var timeColumn = current.TimeColumn >= 0 ? columns[current.TimeColumn].Name : null;
        var addedDefaults = new Dictionary<string, Expression>(StringComparer.Ordinal);

        // Where each column that changed name comes from (null: added new), so a rewrite carries values across.
        var origins = new Dictionary<string, string?>(StringComparer.Ordinal);
        var addedChecks = new List<(string? Name, Expression Condition)>();
        var addedUniques = new List<(string? Name, string[] Columns)>();
        var droppedUniques = new List<string>();
        var foreignKeys = ForeignKeys.Of(current).ToList();
        var addedForeignKeys = new List<(string? Name, string[] Columns, ForeignKeyReference Reference)>();
        var referencing = ForeignKeys.Referencing(tx.Catalog, current).Where(r => r.Child.Id != current.Id).ToList();
        var identities = new List<ColumnSequence>();
        var checkTexts = CheckConstraints.Of(current).ToDictionary(c => c.Name, c => c.Condition, StringComparer.Ordinal);
        var columnComments = TableComments.Columns(current).ToDictionary(c => current.Columns[c.Column].Name, c => c.Text, StringComparer.Ordinal);
        foreach (var action in alter.Actions)
        {
            switch (action)
            {
                case AddColumnAction add:
                    {
                        if (columns.Any(c => c.Name == add.Column.Name))
                        {
                            if (add.IfNotExists)
                            {
                                continue;
                            }

                            throw new SqlException(SqlState.DuplicateColumn, $"column \"{add.Column.Name}\" of relation \"{name}\" already exists");
                        }

                        if (SerialType(add.Column.Type) is not null || add.Column.Constraints.Any(c => c.Kind is ColumnConstraintKind.IdentityAlways or ColumnConstraintKind.IdentityByDefault))
                        {
                            throw new SqlException(SqlState.FeatureNotSupported, "ADD COLUMN of a serial or identity column is not supported", hint: "Create a sequence, add the column with DEFAULT nextval('sequence') and fill existing rows with UPDATE.");
                        }

                        if (add.Column.Constraints.Any(c => c.Kind == ColumnConstraintKind.Check))
                        {
                            throw new SqlException(
                                SqlState.FeatureNotSupported, "ADD COLUMN with a CHECK constraint is not supported", hint: "Add the column, then ADD CONSTRAINT ... CHECK (...).");
                        }

                        addedForeignKeys.AddRange(add.Column.Constraints.Where(c => c.Kind == ColumnConstraintKind.References).Select(c => (c.Name, new[] { add.Column.Name }, c.References!)));
                        var type = SqlType.FromTypeName(add.Column.Type);
                        var notNull = add.Column.Constraints.Any(c => c.Kind == ColumnConstraintKind.NotNull);
                        var defaultValue = add.Column.Constraints.FirstOrDefault(c => c.Kind == ColumnConstraintKind.Default)?.Expression;
                        var stored = new StoredColumn(add.Column.Name, type.DisplayName, StorageValues.KindOf(type), notNull, defaultValue is null ? null : SqlFormatter.Format(defaultValue));

                        // Keep the hidden row id last.
                        var at = columns.FindIndex(c => c.Name == QueryPlanner.RowIdColumn);
                        columns.Insert(at < 0 ? columns.Count : at, stored);
                        origins[stored.Name] = null;
                        if (defaultValue is not null)
                        {
                            addedDefaults[stored.Name] = defaultValue;
                        }

                        break;
                    }

                case DropColumnAction drop:
                    {
                        var index = columns.FindIndex(c => c.Name == drop.Column && c.Name != QueryPlanner.RowIdColumn);
                        if (index < 0)
                        {
                            if (drop.IfExists)
                            {
                                continue;
                            }

                            throw new SqlException(SqlState.UndefinedColumn, $"column \"{drop.Column}\" of relation \"{name}\" does not exist");
                        }

                        if (primaryKey.Contains(drop.Column) || timeColumn == drop.Column)
                        {
                            throw new SqlException(SqlState.DependentObjectsStillExist, $"cannot drop column {drop.Column} of table {name} because other objects depend on it");
                        }

                        if (referencing.FirstOrDefault(r => r.Key.ParentColumns.Contains(drop.Column)) is { Child: not null } dependent)
                        {
                            throw new SqlException(
                                SqlState.DependentObjectsStillExist,
                                $"cannot drop column {drop.Column} of table {Described(current)} because other objects depend on it",
                                hint: "Use DROP ... CASCADE to drop the dependent objects too.",
                                detail: $"constraint {dependent.Key.Name} on table {Described(dependent.Child)} depends on column {drop.Column} of table {Described(current)}");
                        }

                        // As in PostgreSQL, a FOREIGN KEY on the column (or, on a table referencing itself, to it) goes with it.
                        foreignKeys.RemoveAll(k => k.Columns.Contains(drop.Column) || (k.References(current) && k.ParentColumns.Contains(drop.Column)));
                        columns.RemoveAt(index);
                        origins.Remove(drop.Column);
                        columnComments.Remove(drop.Column);

                        // As in PostgreSQL, a CHECK constraint that reads the column goes with it.
                        foreach (var (checkName, _) in checkTexts.Where(c => ReadsColumn(c.Value, drop.Column)).ToArray())
                        {
                            checkTexts.Remove(checkName);
                        }

                        break;
                    }

                case RenameColumnAction rename:
                    {
                        var index = columns.FindIndex(c => c.Name == rename.Column && c.Name != QueryPlanner.RowIdColumn);
                        if (index < 0)
                        {
                            throw new SqlException(SqlState.UndefinedColumn, $"column \"{rename.Column}\" does not exist");
                        }

                        if (columns.Any(c => c.Name == rename.NewName))
                        {
                            throw new SqlException(SqlState.DuplicateColumn, $"column \"{rename.NewName}\" of relation \"{name}\" already exists");
                        }

                        columns[index] = columns[index] with { Name = rename.NewName };
                        origins[rename.NewName] = origins.TryGetValue(rename.Column, out var origin) ? origin : rename.Column;
                        origins.Remove(rename.Column);
                        primaryKey = primaryKey.Select(k => k == rename.Column ? rename.NewName : k).ToList();
                        foreignKeys = foreignKeys.Select(k => k with
                        {
                            Columns = [.. k.Columns.Select(c => c == rename.Column ? rename.NewName : c)],
                            ParentColumns = k.References(current) ? [.. k.ParentColumns.Select(c => c == rename.Column ? rename.NewName : c)] : k.ParentColumns,
                        }).ToList();
                        timeColumn = timeColumn == rename.Column ? rename.NewName : timeColumn;
                        foreach (var (checkName, text) in checkTexts.ToArray())
                        {
                            checkTexts[checkName] = RenameColumnIn(text, rename.Column, rename.NewName);
                        }

                        if (columnComments.Remove(rename.Column, out var columnComment))
                        {
                            columnComments[rename.NewName] = columnComment;
                        }

                        break;
                    }

                case AddIdentityAction identity:
                    {
                        var index = columns.FindIndex(c => c.Name == identity.Column && c.Name != QueryPlanner.RowIdColumn);
                        if (index < 0)
                        {
                            throw new SqlException(SqlState.UndefinedColumn, $"column \"{identity.Column}\" of relation \"{name}\" does not exist");
                        }

                        var column = columns[index];
                        if (SqlType.FromTypeName(Parser.SqlParser.ParseTypeName(column.TypeName)).Kind is not (SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8))
                        {
                            throw new SqlException(SqlState.InvalidParameterValue, "identity column type must be smallint, integer, or bigint");
                        }

                        if (tx.Catalog.IdentityOf(current.Id, identity.Column) is not null || identities.Any(i => i.Column == identity.Column))
                        {
                            throw new SqlException(SqlState.ObjectNotInPrerequisiteState, $"column \"{identity.Column}\" of relation \"{name}\" is already an identity column");
                        }

                        if (!column.NotNull)
                        {
                            throw new SqlException(SqlState.ObjectNotInPrerequisiteState, $"column \"{identity.Column}\" of relation \"{name}\" must be declared NOT NULL before identity can be added");
                        }

                        if (column.DefaultExpression is not null)
                        {
                            throw new SqlException(SqlState.ObjectNotInPrerequisiteState, $"column \"{identity.Column}\" of relation \"{name}\" already has a default value");
                        }

                        var sequence = OwnedSequenceName(tx.Catalog, current.Schema, name, identity.Column, identity.Options, identities);
                        identities.Add(new ColumnSequence(
                            identity.Column, sequence, identity.Always ? SequenceOwnership.IdentityAlways : SequenceOwnership.IdentityByDefault, identity.Options));
                        break;
                    }

                case DropIdentityAction dropIdentity:
                    if (tx.Catalog.IdentityOf(current.Id, dropIdentity.Column) is { } owned)
                    {
                        tx.DropSequence(owned);
                    }
                    else if (dropIdentity.IfExists)
                    {
                        context.Notices.Add($"column \"{dropIdentity.Column}\" of relation \"{name}\" is not an identity column, skipping");
                    }
                    else
                    {
                        throw new SqlException(SqlState.ObjectNotInPrerequisiteState, $"column \"{dropIdentity.Column}\" of relation \"{name}\" is not an identity column");
                    }

                    break;

                case AddConstraintAction { Constraint: { Kind: TableConstraintKind.Check } check }:
                    addedChecks.Add((check.Name, check.Check!));
                    break;

                case AddConstraintAction { Constraint: { Kind: TableConstraintKind.Unique } unique }:
                    addedUniques.Add((unique.Name, [.. unique.Columns]));
                    break;

                case AddConstraintAction { Constraint: { Kind: TableConstraintKind.ForeignKey } foreignKey }:
                    addedForeignKeys.Add((foreignKey.Name, [.. foreignKey.Columns], foreignKey.References!));
                    break;

                case DropConstraintAction dropConstraint:
                    if (QueryPlanner.HasDeclaredKey(current) && dropConstraint.Name == Catalog.PgCatalog.PrimaryKeyName(current))
                    {
                        throw new SqlException(SqlState.FeatureNotSupported, "dropping a primary key is not supported");
                    }

                    if (tx.Catalog.IndexesOf(current.Id).FirstOrDefault(i => IsUniqueConstraint(i) && i.Name == dropConstraint.Name) is { } uniqueConstraint
                        && !droppedUniques.Contains(uniqueConstraint.Name))
                    {
                        RequireNoReferencingKeys(tx.Catalog, uniqueConstraint);
                        droppedUniques.Add(uniqueConstraint.Name);
                    }
                    else if (foreignKeys.RemoveAll(k => k.Name == dropConstraint.Name) == 0 && !checkTexts.Remove(dropConstraint.Name))
                    {
                        if (!dropConstraint.IfExists)
                        {
                            throw new SqlException(SqlState.UndefinedObject, $"constraint \"{dropConstraint.Name}\" of relation \"{name}\" does not exist");
                        }

                        context.Notices.Add($"constraint \"{dropConstraint.Name}\" of relation \"{name}\" does not exist, skipping");
                    }

                    break;

                case RenameTableAction table:
                    name = table.NewName;
                    break;
                case AlterColumnDefaultAction setDefault:
                    {
                        var index = columns.FindIndex(c => c.Name == setDefault.Column && c.Name != QueryPlanner.RowIdColumn);
                        if (index < 0)
                        {
                            throw new SqlException(SqlState.UndefinedColumn, $"column \"{setDefault.Column}\" of relation \"{name}\" does not exist");
                        }

                        if (setDefault.Default is not null && tx.Catalog.IdentityOf(current.Id, setDefault.Column) is not null)
                        {
                            throw new SqlException(SqlState.SyntaxError, $"column \"{setDefault.Column}\" of relation \"{name}\" is an identity column", hint: "Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.");
                        }

                        if (setDefault.Default is { } expression)
                        {
                            CheckDefault(expression, SqlType.FromTypeName(Parser.SqlParser.ParseTypeName(columns[index].TypeName)), setDefault.Column);
                        }

                        columns[index] = columns[index] with { DefaultExpression = setDefault.Default is null ? null : SqlFormatter.Format(setDefault.Default) };
                        break;
                    }

                case AddConstraintAction { Constraint: { Kind: TableConstraintKind.PrimaryKey } key }:
                    {
                        if (!columns.Any(c => c.Name == QueryPlanner.RowIdColumn))
                        {
                            throw new SqlException(SqlState.InvalidTableDefinition, $"multiple primary keys for table \"{name}\" are not allowed");
                        }

                        foreach (var keyColumn in key.Columns)
                        {
                            var index = columns.FindIndex(c => c.Name == keyColumn && c.Name != QueryPlanner.RowIdColumn);
                            if (index < 0)
                            {
                                throw new SqlException(SqlState.UndefinedColumn, $"column \"{keyColumn}\" of relation \"{name}\" does not exist");
                            }

                            columns[index] = columns[index] with { NotNull = true };
                        }

                        // The key becomes the storage order: existing rows are checked, then rewritten under it at commit.
                        await CheckNewKeyAsync(context, current, key, key.Name ?? $"{current.Name}_pkey").ConfigureAwait(false);
                        columns.RemoveAll(c => c.Name == QueryPlanner.RowIdColumn);
                        primaryKey = [.. key.Columns];
                        break;
                    }
                default:
                    throw new SqlException(SqlState.FeatureNotSupported, $"ALTER TABLE action not supported: {action.GetType().Name.Replace("Action", string.Empty, StringComparison.Ordinal)}");
            }
        }

        var altered = new TableDefinition(
            current.Id,
            current.Schema,
            name,
            columns,
            primaryKey.Select(k => columns.FindIndex(c => c.Name == k)).ToArray(),
            timeColumn is null ? -1 : columns.FindIndex(c => c.Name == timeColumn),
            current.Ttl,
            current.Options.Where(o => !o.Key.StartsWith(CheckConstraints.OptionPrefix, StringComparison.Ordinal) && !o.Key.StartsWith(TableComments.ColumnPrefix, StringComparison.Ordinal)
                    && !o.Key.StartsWith(ForeignKeys.OptionPrefix, StringComparison.Ordinal))
                .Concat(checkTexts.Select(c => KeyValuePair.Create(CheckConstraints.OptionPrefix + c.Key, c.Value)))
                .Concat(foreignKeys.Select(k => k.References(current) ? k with { ParentTable = name } : k)
                    .Select(k => KeyValuePair.Create(ForeignKeys.OptionPrefix + k.Name, ForeignKeys.Encode(k))))
                .Concat(columnComments.Select(c => KeyValuePair.Create(TableComments.ColumnPrefix + c.Key, c.Value)))
                .ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
            current.Version + 1);
        altered = WithChecks(altered, addedChecks);
        if (addedChecks.Count > 0)
        {
            await CheckExistingRowsAsync(context, current, altered, parameters).ConfigureAwait(false);
        }

        var result = tx.AlterTable(current, altered, await AddedValuesAsync(context, altered, addedDefaults, parameters).ConfigureAwait(false), origins);
        FollowColumnChanges(context, result, origins);
        CreateColumnSequences(context, result, identities);
        foreach (var dropped in droppedUniques)
        {
            tx.DropIndex(tx.Catalog.IndexesOf(result.Id).First(i => i.Name == dropped));
        }

        await FollowIndexesAsync(context, current, result, origins).ConfigureAwait(false);
        foreach (var (uniqueName, uniqueColumns) in addedUniques)
        {
            await AddUniqueAsync(context, tx.Catalog.FindTable(result.Id)!, uniqueName, uniqueColumns, constraint: true).ConfigureAwait(false);
        }

        FollowReferencingKeys(context, tx.Catalog.FindTable(result.Id)!, referencing, origins);
        await AddForeignKeysAsync(context, result.Id, addedForeignKeys).ConfigureAwait(false);

        return Done("ALTER TABLE");
    }

    /// <summary>
    /// What existing rows get in columns the ALTER added with a DEFAULT: as in PostgreSQL, the default's value,
    /// evaluated once for the statement; a volatile default (nextval, random) would need one value per row and is refused.
    /// </summary>
    private async ValueTask<Dictionary<string, Action<LumaDB.Storage.Shards.RowBuilder, int>>?> AddedValuesAsync(
        StatementContext context, TableDefinition altered, Dictionary<string, Expression> defaults, IReadOnlyList<object?> parameters)
    {
        if (defaults.Count == 0)
        {
            return null;
        }

        var types = QueryPlanner.TypesOf(altered);
        var runtime = await context.StartAsync(planner.Scans, parameters).ConfigureAwait(false);
        var one = new ResultBatch([], 1);
        var values = new Dictionary<string, Action<LumaDB.Storage.Shards.RowBuilder, int>>(StringComparer.Ordinal);
        foreach (var (name, expression) in defaults)
        {
            var column = altered.IndexOf(name);
            if (column < 0)
            {
                // Added and dropped again in the same statement.
                continue;
            }

            var type = types[column];
            var bound = planner.CoerceForAssignment(planner.BindOver([], expression, topLevel: false), type, name);
            if (BoundTree.IsVolatile(bound))
            {
                throw new SqlException(SqlState.FeatureNotSupported, $"ADD COLUMN \"{name}\" with a volatile DEFAULT is not supported", hint: "Add the column without the default, fill it with UPDATE, then SET DEFAULT.");
            }

            var value = BatchOps.Evaluate(runtime, bound, one).GetValue(0);
            values[name] = (row, ordinal) => StorageValues.Write(row, ordinal, type, value);
        }

        return values;
    }
}
