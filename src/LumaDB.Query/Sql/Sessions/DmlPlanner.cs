using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>Plans INSERT, UPDATE and DELETE.</summary>
internal static class DmlPlanner
{
    public static DmlPlan PlanInsert(QueryPlanner planner, CatalogSnapshot catalog, InsertStatement insert, ulong version)
    {
        if (insert.With is not null)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "WITH in INSERT is not supported");
        }

        var table = catalog.FindTable(insert.Table.Schema ?? "public", insert.Table.Name)
            ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', insert.Table.Parts)}\" does not exist")
            {
                Position = insert.Table.Span.Length > 0 ? insert.Table.Span.Position : null,
            };
        var types = QueryPlanner.TypesOf(table);
        var targets = insert.Columns.Count > 0
            ? insert.Columns.Select(name => table.IndexOf(name) is var i && i >= 0 && name != QueryPlanner.RowIdColumn
                ? i
                : throw new SqlException(SqlState.UndefinedColumn, $"column \"{name}\" of relation \"{table.Name}\" does not exist")).ToArray()
            : Enumerable.Range(0, table.Columns.Count).Where(i => table.Columns[i].Name != QueryPlanner.RowIdColumn).ToArray();
        if (targets.Distinct().Count() != targets.Length)
        {
            throw new SqlException(SqlState.DuplicateColumn, "column specified more than once");
        }

        if (insert.Source is { Body: ValuesBody { Rows: [var first, ..] } listed })
        {
            if (listed.Rows.Any(row => row.Count != first.Count))
            {
                throw new SqlException(SqlState.SyntaxError, "VALUES lists must all be the same length");
            }

            // Without a column list the values fill the table's first columns; the rest take their defaults.
            if (insert.Columns.Count == 0 && first.Count < targets.Length)
            {
                targets = targets[..first.Count];
            }
        }

        var defaults = table.Columns.Select((_, i) => ColumnDefault(planner, table, i, types[i])).ToArray();
        BoundExpression DefaultOf(int column) => defaults[column] ?? new BoundConstant(null, types[column]);
        var targetColumns = targets.Select(i => new PlanColumn(null, table.Columns[i].Name, types[i])).ToArray();
        PlanNode source;
        if (insert.Source is null)
        {
            // DEFAULT VALUES: one row of defaults.
            source = new ValuesNode([], [[]]);
            targets = [];
        }
        else if (insert.Source is { Body: ValuesBody values, OrderBy.Count: 0, Limit: null, Offset: null, With: null })
        {
            var ignored = CheckIdentityTargets(catalog, table, targets, insert);
            var rows = new List<IReadOnlyList<BoundExpression>>();
            foreach (var row in values.Rows)
            {
                if (row.Count > targets.Length)
                {
                    throw new SqlException(SqlState.SyntaxError, "INSERT has more expressions than target columns");
                }

                if (row.Count < targets.Length)
                {
                    throw new SqlException(SqlState.SyntaxError, "INSERT has more target columns than expressions");
                }

                rows.Add(row.Select((e, i) => e is DefaultExpression || ignored[i]
                    ? DefaultOf(targets[i])
                    : planner.CoerceForAssignment(planner.BindOver([], e, "VALUES", topLevel: false), types[targets[i]], table.Columns[targets[i]].Name)).ToArray());
            }

            source = new ValuesNode(targetColumns, rows);
        }
        else
        {
            var query = planner.PlanSubquery(insert.Source);
            if (query.Columns.Count > targets.Length)
            {
                throw new SqlException(SqlState.SyntaxError, "INSERT has more expressions than target columns");
            }

            targets = targets.Take(query.Columns.Count).ToArray();
            targetColumns = targetColumns.Take(query.Columns.Count).ToArray();
            var ignored = CheckIdentityTargets(catalog, table, targets, insert);
            var casts = query.Columns.Select((c, i) => ignored[i]
                ? DefaultOf(targets[i])
                : planner.CoerceForAssignment(new BoundColumn(i, c.Name, c.Type), types[targets[i]], table.Columns[targets[i]].Name)).ToArray();
            source = new ProjectNode(query, targetColumns, casts);
        }

        var tableColumns = table.Columns.Select((c, i) => new PlanColumn(table.Name, c.Name, types[i], table.Id, (short)(i + 1), c.Name == QueryPlanner.RowIdColumn)).ToArray();
        var onConflict = OnConflictAction.None;
        var uniques = UniqueIndexes.For(catalog, table);
        var arbiter = DmlPlan.PrimaryKeyConstraint;
        var assignments = Array.Empty<(int, BoundExpression)>();
        BoundExpression? conflictWhere = null;
        // Without a key nothing can conflict: a target-less DO NOTHING then inserts every row, as in PostgreSQL.
        var nothingCanConflict = insert.OnConflict is { DoUpdate: false, Targets.Count: 0, Constraint: null } && !QueryPlanner.HasDeclaredKey(table) && uniques.IsEmpty;
        if (insert.OnConflict is { } conflict && !nothingCanConflict)
        {

            onConflict = conflict.DoUpdate ? OnConflictAction.Update : OnConflictAction.Nothing;
            arbiter = Arbiter(catalog, table, uniques, conflict);
            var pair = tableColumns.Select(c => c with { Table = insert.Alias ?? table.Name }).Concat(tableColumns.Select(c => c with { Table = "excluded", Hidden = false })).ToArray();

            // Unqualified names mean the target row; the proposed row is reached as excluded.col.
            for (var i = table.Columns.Count; i < pair.Length; i++)
            {
                pair[i] = pair[i] with { Hidden = true };
            }

            assignments = Assignments(planner, table, types, conflict.Assignments, pair);
            conflictWhere = conflict.Where is null ? null : planner.BindOver(pair, conflict.Where, "WHERE");
        }

        var (returning, returningColumns) = Returning(planner, insert.Returning, tableColumns);
        return new DmlPlan(version, DmlKind.Insert, table, source, planner.Scans)
        {
            Checks = CheckConstraints.Bind(planner, table),
            TargetColumns = targets,
            Defaults = defaults,
            OnConflict = onConflict,
            Arbiter = arbiter,
            Uniques = uniques,
            References = ReferentialIntegrity.For(catalog, table),
            Assignments = assignments,
            ConflictWhere = conflictWhere,
            ReturningExpressions = returning,
            Returning = returningColumns,
        };
    }

    /// <summary>
    /// What a column gets when an insert leaves it out or names DEFAULT: its DEFAULT expression, or for an
    /// identity column the next value of the sequence it owns (found by ownership, so a renamed sequence still
    /// serves it); null when it has neither.
    /// </summary>
    internal static BoundExpression? ColumnDefault(QueryPlanner planner, TableDefinition table, int column, SqlType type)
    {
        var definition = table.Columns[column];
        if (definition.DefaultExpression is { } text)
        {
            try
            {
                return planner.CoerceForAssignment(planner.BindOver([], SqlParser.ParseExpression(text), topLevel: false), type, definition.Name);
            }
            catch (SqlException e) when (e.Position is not null)
            {
                // A position in the stored default's text means nothing in the statement's.
                throw e.WithPosition(null);
            }
        }

        if (planner.Catalog?.IdentityOf(table.Id, definition.Name) is { } sequence)
        {
            var oid = new BoundConstant((long)Catalog.PgCatalog.RelationOid(sequence.Id), SqlType.Int8);
            return planner.CoerceForAssignment(new BoundFunction(ScalarFunction.NextVal, [oid], SqlType.Int8), type, definition.Name);
        }

        return null;
    }

    /// <summary>
    /// Refuses values for GENERATED ALWAYS identity columns unless they are all DEFAULT or an OVERRIDING clause is
    /// given, as PostgreSQL does, and returns per target whether OVERRIDING USER VALUE has its value ignored (an
    /// identity column, whose sequence then supplies the value).
    /// </summary>
    /// <summary>
    /// The constraint an ON CONFLICT clause names: every one for a target-less DO NOTHING, else the primary key or the
    /// unique index whose columns are the target's (in any order) or whose name ON CONSTRAINT gives, as PostgreSQL infers it.
    /// </summary>
    private static int Arbiter(CatalogSnapshot catalog, TableDefinition table, UniqueIndexes uniques, OnConflictClause conflict)
    {
        if (conflict.Constraint is { } name)
        {
            if (QueryPlanner.HasDeclaredKey(table) && name == Catalog.PgCatalog.PrimaryKeyName(table))
            {
                return DmlPlan.PrimaryKeyConstraint;
            }

            var named = uniques.Definitions.ToList().FindIndex(i => i.Name == name);
            return named >= 0 ? named : throw new SqlException(SqlState.UndefinedObject, $"constraint \"{name}\" for table \"{table.Name}\" does not exist");
        }

        if (conflict.Targets.Count == 0)
        {
            return conflict.DoUpdate
                ? throw new SqlException(SqlState.SyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name", "For example, ON CONFLICT (column_name).")
                : DmlPlan.AnyConstraint;
        }

        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in conflict.Targets)
        {
            if (target is not ColumnReference { Name: var column } || table.IndexOf(column) < 0 || column == QueryPlanner.RowIdColumn)
            {
                throw target is ColumnReference reference
                    ? new SqlException(SqlState.UndefinedColumn, $"column \"{reference.Name}\" does not exist") { Position = target.Span.Length > 0 ? target.Span.Position : null }
                    : NoArbiter();
            }

            columns.Add(column);
        }

        if (TableConstraints.IsPrimaryKey(table, columns))
        {
            return DmlPlan.PrimaryKeyConstraint;
        }

        var matching = uniques.IndexOn(columns);
        return matching >= 0 ? matching : throw NoArbiter();

        static SqlException NoArbiter() =>
            new(SqlState.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification");
    }

    private static bool[] CheckIdentityTargets(CatalogSnapshot catalog, TableDefinition table, int[] targets, InsertStatement insert)
    {
        CheckGeneratedAlways(catalog, table, targets, insert);
        return [.. targets.Select(t => insert.Overriding == InsertOverriding.User && catalog.IdentityOf(table.Id, table.Columns[t].Name) is not null)];
    }

    private static void CheckGeneratedAlways(CatalogSnapshot catalog, TableDefinition table, int[] targets, InsertStatement insert)
    {
        var source = insert.Source;
        if (source is null || insert.Overriding != InsertOverriding.None)
        {
            // DEFAULT VALUES, or an OVERRIDING clause: SYSTEM VALUE stores the values given, USER VALUE ignores them.
            return;
        }

        for (var i = 0; i < targets.Length; i++)
        {
            var name = table.Columns[targets[i]].Name;
            if (catalog.IdentityOf(table.Id, name) is not { Ownership: SequenceOwnership.IdentityAlways })
            {
                continue;
            }

            var position = i;
            var onlyDefaults = source is { Body: ValuesBody values } && values.Rows.All(row => position < row.Count && row[position] is DefaultExpression);
            if (!onlyDefaults)
            {
                throw new SqlException(
                    SqlState.GeneratedAlways,
                    $"cannot insert a non-DEFAULT value into column \"{name}\"",
                    detail: $"Column \"{name}\" is an identity column defined as GENERATED ALWAYS.",
                    hint: "Use OVERRIDING SYSTEM VALUE to override.");
            }
        }
    }

    public static DmlPlan PlanUpdate(QueryPlanner planner, CatalogSnapshot catalog, UpdateStatement update, ulong version)
    {
        if (update.From.Count > 0 || update.With is not null)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "UPDATE ... FROM and WITH are not supported");
        }

        _ = catalog;
        var scan = planner.PlanTarget(update.Table, update.Alias, update.Where, out var table);
        var types = QueryPlanner.TypesOf(table);
        var assignments = Assignments(planner, table, types, update.Assignments, scan.Columns);
        var (returning, columns) = Returning(planner, update.Returning, scan.Columns);
        return new DmlPlan(version, DmlKind.Update, table, scan, planner.Scans)
        {
            Uniques = UniqueIndexes.For(catalog, table),
            References = ReferentialIntegrity.For(catalog, table),
            Assignments = assignments,
            ReturningExpressions = returning,
            Returning = columns,
            Checks = CheckConstraints.Bind(planner, table),
        };
    }

    public static DmlPlan PlanDelete(QueryPlanner planner, CatalogSnapshot catalog, DeleteStatement delete, ulong version)
    {
        if (delete.Using.Count > 0 || delete.With is not null)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "DELETE ... USING and WITH are not supported");
        }

        _ = catalog;
        var scan = planner.PlanTarget(delete.Table, delete.Alias, delete.Where, out var table);
        var (returning, columns) = Returning(planner, delete.Returning, scan.Columns);
        return new DmlPlan(version, DmlKind.Delete, table, scan, planner.Scans) { Uniques = UniqueIndexes.For(catalog, table), References = ReferentialIntegrity.For(catalog, table), ReturningExpressions = returning, Returning = columns };
    }

    private static (int, BoundExpression)[] Assignments(QueryPlanner planner, TableDefinition table, SqlType[] types, SyntaxList<Assignment> assignments, IReadOnlyList<PlanColumn> scope)
    {
        var result = new List<(int, BoundExpression)>();
        foreach (var assignment in assignments)
        {
            if (assignment.IsMultiColumn || assignment.Columns.Count != 1)
            {
                throw new SqlException(SqlState.FeatureNotSupported, "multi-column assignments are not supported");
            }

            var name = assignment.Columns[0];
            var column = table.IndexOf(name);
            if (column < 0 || name == QueryPlanner.RowIdColumn)
            {
                throw new SqlException(SqlState.UndefinedColumn, $"column \"{name}\" of relation \"{table.Name}\" does not exist");
            }

            if (assignment.Value is not DefaultExpression && planner.Catalog?.IdentityOf(table.Id, name) is { Ownership: SequenceOwnership.IdentityAlways })
            {
                throw new SqlException(SqlState.GeneratedAlways, $"column \"{name}\" can only be updated to DEFAULT", detail: $"Column \"{name}\" is an identity column defined as GENERATED ALWAYS.");
            }

            BoundExpression value = assignment.Value is DefaultExpression
                ? ColumnDefault(planner, table, column, types[column]) ?? new BoundConstant(null, types[column])
                : planner.BindOver(scope, assignment.Value, "UPDATE", topLevel: false);
            result.Add((column, planner.CoerceForAssignment(value, types[column], name)));
        }

        return [.. result];
    }

    private static (BoundExpression[] Expressions, ResultColumn[] Columns) Returning(QueryPlanner planner, SyntaxList<SelectItem> items, IReadOnlyList<PlanColumn> scope)
    {
        var expressions = new List<BoundExpression>();
        var columns = new List<ResultColumn>();
        foreach (var item in items)
        {
            if (item.Expression is StarExpression)
            {
                for (var i = 0; i < scope.Count; i++)
                {
                    if (!scope[i].Hidden)
                    {
                        expressions.Add(new BoundColumn(i, scope[i].Name, scope[i].Type));
                        columns.Add(new ResultColumn(scope[i].Name, scope[i].Type, scope[i].TableId, scope[i].ColumnNumber));
                    }
                }

                continue;
            }

            var bound = planner.BindOver(scope.Take(scope.Count).ToArray(), item.Expression, "RETURNING");
            expressions.Add(bound);
            columns.Add(new ResultColumn(item.Alias ?? Execution.ConstantQueryExecutor.ColumnName(item.Expression), bound.Type));
        }

        return ([.. expressions], [.. columns]);
    }
}
