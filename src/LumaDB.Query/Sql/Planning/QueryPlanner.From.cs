using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>FROM items: tables, views, CTEs, virtual tables, subqueries, generate_series and joins.</summary>
internal sealed partial class QueryPlanner
{
    private PlanNode PlanFromList(SyntaxList<TableReference> from)
    {
        if (from.Count == 0)
        {
            return new ValuesNode([], [[]]);
        }

        var node = PlanTable(from[0]);
        for (var i = 1; i < from.Count; i++)
        {
            var item = ScalarCallAsSubquery(from[i]);
            if (item is FunctionTableReference function && PlanLateralFunctionAt(node, function) is { } lateral)
            {
                node = lateral;
                continue;
            }

            if (item is SubqueryTableReference { Lateral: true } subquery)
            {
                node = PlanLateralSubquery(node, subquery, null);
                continue;
            }

            var right = PlanTable(item);
            node = new JoinNode(node, right, JoinKind.Cross, [], [], null, null);
        }

        return node;
    }

    private PlanNode PlanTable(TableReference reference)
    {
        try
        {
            return reference switch
            {
                NamedTableReference named => PlanNamedTable(named),
                SubqueryTableReference subquery => PlanDerivedTable(subquery),
                FunctionTableReference function when ScalarCallAsSubquery(function) is SubqueryTableReference call => PlanDerivedTable(call),
                FunctionTableReference function => PlanFunctionTable(function),
                JoinTableReference join => PlanJoin(join),
                _ => throw new SqlException(SqlState.FeatureNotSupported, "FROM item not supported"),
            };
        }
        catch (SqlException e) when (e.PointsAtSyntax && PositionOf(reference) is { } position)
        {
            // An unknown relation points at its name, a function in FROM that cannot be called at the call.
            throw e.WithPosition(position);
        }
    }

    private PlanNode? PlanLateralFunctionAt(PlanNode left, FunctionTableReference function)
    {
        try
        {
            return TryPlanLateralFunction(left, function, null);
        }
        catch (SqlException e) when (e.PointsAtSyntax && PositionOf(function) is { } position)
        {
            throw e.WithPosition(position);
        }
    }

    private static int? PositionOf(TableReference reference)
    {
        SyntaxNode? node = reference switch
        {
            NamedTableReference => reference,
            FunctionTableReference function => function.Function,
            _ => null,
        };
        return node is { Span.Length: > 0 } ? node.Span.Position : null;
    }

    private PlanNode PlanNamedTable(NamedTableReference named)
    {
        var name = named.Name.Name;
        var schema = named.Name.Schema;
        var alias = named.Alias?.Name ?? name;
        var aliasColumns = named.Alias?.Columns is { Count: > 0 } names ? names : null;
        if (schema is null)
        {
            for (var i = _ctes.Count - 1; i >= 0; i--)
            {
                if (_ctes[i].TryGetValue(name, out var cte))
                {
                    return new RenameNode(cte, RenameColumns(cte.Columns, alias, aliasColumns), alias);
                }
            }
        }

        if (_system is not null && SystemTableScans.TryResolve(_system, schema, name, _catalog, out var system, out var filtered))
        {
            var columns = system.Columns.Select(c => new PlanColumn(alias, c.Name, c.Type, c.TableId, c.ColumnNumber)).ToArray();
            return SystemTableScans.Create(system, filtered, RenameColumns(columns, alias, aliasColumns));
        }

        var catalog = _catalog ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{named.Name}\" does not exist");
        var table = catalog.FindTable(schema ?? "public", name);
        if (table is not null)
        {
            var columns = table.Columns.Select((c, i) => new PlanColumn(alias, c.Name, TypeOf(c.TypeName), table.Id, (short)(i + 1), c.Name == RowIdColumn)).ToArray();
            if (aliasColumns is not null)
            {
                columns = RenameColumns(columns, alias, aliasColumns);
            }

            var scan = new ScanNode(table, alias, columns);
            _scans.Add(scan);
            return scan;
        }

        var view = catalog.FindView(schema ?? "public", name);
        if (view is not null)
        {
            if (SqlParser.ParseStatement(view.QueryText) is not SelectStatement select)
            {
                throw new SqlException(SqlState.InternalError, $"view \"{name}\" has no query");
            }

            var saved = _frame;
            _frame = null;
            try
            {
                var node = PlanQuery(select.Query, out _);
                var columns = RenameColumns(node.Columns, alias, aliasColumns ?? (view.ColumnNames.Count > 0 ? view.ColumnNames : null));
                return new RenameNode(node, columns, alias);
            }
            catch (SqlException e) when (e.Position is not null)
            {
                // A position in the view's own text means nothing in the statement's: the view's name is pointed at.
                throw e.WithPosition(null);
            }
            finally
            {
                _frame = saved;
            }
        }

        if (catalog.FindSequence(schema ?? "public", name) is { } sequence)
        {
            // A sequence reads as one row, as in PostgreSQL: its state when the statement runs, not when planned.
            var oid = new BoundConstant((long)Sql.Catalog.PgCatalog.RelationOid(sequence.Id), SqlType.Int8);
            BoundExpression Field(int field, SqlType type) => new BoundFunction(ScalarFunction.SequenceRead, [oid, new BoundConstant(field, SqlType.Int4)], type);
            var columns = RenameColumns(
                [new PlanColumn(alias, "last_value", SqlType.Int8), new PlanColumn(alias, "log_cnt", SqlType.Int8), new PlanColumn(alias, "is_called", SqlType.Boolean)],
                alias,
                aliasColumns);
            return new ValuesNode(columns, [[Field(0, SqlType.Int8), Field(1, SqlType.Int8), Field(2, SqlType.Boolean)]]);
        }

        throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', named.Name.Parts)}\" does not exist");
    }

    /// <summary>The SQL type of a stored column from its catalog type name.</summary>
    public static SqlType TypeOf(string typeName) => SqlType.FromTypeName(SqlParser.ParseTypeName(typeName));

    private RenameNode PlanDerivedTable(SubqueryTableReference subquery)
    {
        var node = PlanQuery(subquery.Query, out _);
        var alias = subquery.Alias?.Name ?? "unnamed_subquery";
        return new RenameNode(node, RenameColumns(node.Columns, alias, subquery.Alias?.Columns is { Count: > 0 } c ? c : null), alias);
    }

    private PlanNode PlanFunctionTable(FunctionTableReference reference)
    {
        if (reference.Function is FunctionCall { Name.Name: "unnest" } unnest)
        {
            return PlanUnnest(reference, unnest);
        }

        if (reference.Function is FunctionCall json && JsonTableFunctionNode.IsJsonTableFunction(json.Name.Name))
        {
            return PlanJsonFunctionTable(reference, json);
        }

        if (reference.Function is FunctionCall { Name.Name: "regexp_matches" or "regexp_split_to_table" or "string_to_table" or "pg_partition_ancestors" } set && IsSetReturning(set))
        {
            return PlanSetFunctionTable(reference, set);
        }

        if (reference.Function is FunctionCall aggregate && IsAggregate(aggregate))
        {
            throw new SqlException(SqlState.GroupingError, "aggregate functions are not allowed in functions in FROM");
        }

        if (reference.Function is not FunctionCall { Name.Name: "generate_series" } call || call.Arguments.Count is < 2 or > 3)
        {
            throw new SqlException(SqlState.FeatureNotSupported, $"table function {SqlFormatter.Format(reference.Function)} is not supported");
        }

        var saved = _frame;
        _frame = new Frame(_frame, [], _level!) { AggregateForbidden = "functions in FROM" };
        try
        {
            var series = BindGenerateSeries(call);
            var alias = reference.Alias?.Name ?? "generate_series";
            var columnName = reference.Alias?.Columns is { Count: > 0 } names ? names[0] : alias;
            var args = series.Arguments;
            return new GenerateSeriesNode([new PlanColumn(alias, columnName, series.Type)], args[0], args[1], args.Length > 2 ? args[2] : null);
        }
        finally
        {
            _frame = saved;
        }
    }

    /// <summary>
    /// An ordinary (not set-returning) function called in FROM is one row of one column, as in PostgreSQL: it is
    /// planned as <c>LATERAL (SELECT call AS name) name</c>, so that it may read the FROM items before it and an
    /// unknown function gets the binder's error. The column is named by the alias's column, else the alias, else
    /// the function; anything else is returned as it is.
    /// </summary>
    private static TableReference ScalarCallAsSubquery(TableReference item)
    {
        if (item is not FunctionTableReference { Function: FunctionCall call, WithOrdinality: false } function
            || IsSetReturning(call) || IsAggregate(call) || call.Over is not null || JsonTableFunctionNode.IsJsonTableFunction(call.Name.Name))
        {
            return item;
        }

        var alias = function.Alias?.Name ?? call.Name.Name;
        var column = function.Alias?.Columns is { Count: > 0 } columns ? columns[0] : alias;
        var body = new SelectBody(
            false, null, SyntaxList.From([new SelectItem(call, column)]), SyntaxList<TableReference>.Empty, null,
            SyntaxList<Expression>.Empty, false, null, SyntaxList<WindowDefinition>.Empty)
        { Span = function.Span };
        var query = new QueryExpression(null, body, SyntaxList<OrderByItem>.Empty) { Span = function.Span };
        return new SubqueryTableReference(query, new TableAlias(alias, SyntaxList<string>.Empty), Lateral: true) { Span = function.Span };
    }

    private PlanNode PlanJoin(JoinTableReference join)
    {
        var left = PlanTable(join.Left);
        join = join with { Right = ScalarCallAsSubquery(join.Right) };
        if (join.Right is FunctionTableReference function && !join.Natural && join.Using.Count == 0 && TryPlanLateralFunction(left, function, join) is { } lateral)
        {
            return lateral;
        }

        if (join.Right is SubqueryTableReference { Lateral: true } subquery && !join.Natural && join.Using.Count == 0)
        {
            return PlanLateralSubquery(left, subquery, join);
        }

        var right = PlanTable(join.Right);
        var leftWidth = left.Columns.Count;
        var columns = left.Columns.Concat(right.Columns).ToList();
        var conditions = new List<BoundExpression>();
        var saved = _frame;
        _frame = new Frame(saved, columns, _level!) { AggregateForbidden = "JOIN conditions" };
        try
        {
            IEnumerable<string> usingNames = join.Using;
            if (join.Natural)
            {
                usingNames = left.Columns.Where(c => !c.Hidden).Select(c => c.Name).Intersect(right.Columns.Where(c => !c.Hidden).Select(c => c.Name)).ToList();
            }

            foreach (var name in usingNames)
            {
                var l = left.Columns.ToList().FindIndex(c => c.Name == name && !c.Hidden);
                var r = right.Columns.ToList().FindIndex(c => c.Name == name && !c.Hidden);
                if (l < 0 || r < 0)
                {
                    throw new SqlException(SqlState.UndefinedColumn, $"column \"{name}\" specified in USING clause does not exist in {(l < 0 ? "left" : "right")} table");
                }

                _referenced.Add(left.Columns[l]);
                _referenced.Add(right.Columns[r]);
                conditions.Add(_binder.BindBinary(BinaryOperator.Equal, new BoundColumn(l, name, left.Columns[l].Type), new BoundColumn(leftWidth + r, name, right.Columns[r].Type)));

                // The merged column is found by its bare name on the left side only, as in PostgreSQL's output.
                columns[leftWidth + r] = columns[leftWidth + r] with { Hidden = true };
            }

            if (join.Condition is not null)
            {
                conditions.AddRange(BoundTree.Conjuncts(_binder.BindCondition(join.Condition, "JOIN/ON")));
            }
        }
        finally
        {
            _frame = saved;
        }

        var leftKeys = new List<BoundExpression>();
        var rightKeys = new List<BoundExpression>();
        var residual = new List<BoundExpression>();
        foreach (var condition in conditions)
        {
            if (condition is BoundBinary { Operator: BinaryOperator.Equal } equal && equal.Left.Type == equal.Right.Type &&
                Side(equal.Left, leftWidth) is var ls && Side(equal.Right, leftWidth) is var rs && ls != 0 && rs != 0 && ls != rs && ls != 3 && rs != 3)
            {
                var (l, r) = ls == 1 ? (equal.Left, equal.Right) : (equal.Right, equal.Left);
                leftKeys.Add(l);
                rightKeys.Add(BoundTree.MapColumns(r, c => c with { Ordinal = c.Ordinal - leftWidth }));
                continue;
            }

            residual.Add(condition);
        }

        var kind = join.Kind == JoinKind.Cross ? JoinKind.Inner : join.Kind;
        var node = new JoinNode(left, right, join.Kind == JoinKind.Cross ? JoinKind.Cross : kind, leftKeys, rightKeys, BoundTree.And(residual), join.Condition is null ? null : SqlFormatter.Format(join.Condition));
        return new RenameNode(node, columns, "join") is { } renamed && columns.Any(c => c.Hidden) ? renamed : node;
    }

    /// <summary>The table an INSERT/UPDATE/DELETE writes, with a scan of it filtered by <paramref name="where"/> (all columns, including the hidden row id).</summary>
    public ScanNode PlanTarget(QualifiedName name, string? alias, Expression? where, out TableDefinition table)
    {
        var catalog = _catalog ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{name}\" does not exist");
        table = catalog.FindTable(name.Schema ?? "public", name.Name)
            ?? throw new SqlException(SqlState.UndefinedTable, $"relation \"{string.Join('.', name.Parts)}\" does not exist")
            {
                Position = name.Span.Length > 0 ? name.Span.Position : null,
            };
        var target = table;
        var columns = target.Columns.Select((c, i) => new PlanColumn(alias ?? target.Name, c.Name, TypeOf(c.TypeName), target.Id, (short)(i + 1), c.Name == RowIdColumn)).ToArray();
        var scan = new ScanNode(target, alias ?? target.Name, columns);
        _scans.Add(scan);
        if (where is not null)
        {
            var predicate = _binder.CoerceToBoolean(BindOver(columns, where, "WHERE"), "WHERE");
            AddFilter(scan, predicate, SqlFormatter.Format(where));
        }

        return scan;
    }

    /// <summary>Plans a query inside a DML statement (INSERT ... SELECT).</summary>
    public PlanNode PlanSubquery(QueryExpression query) => PlanQuery(query);

    /// <summary>The types of a table's columns.</summary>
    public static SqlType[] TypesOf(TableDefinition table) => table.Columns.Select(c => TypeOf(c.TypeName)).ToArray();

    /// <summary>1 when the expression reads only left columns, 2 only right ones, 3 both or unknown, 0 none.</summary>
    private static int Side(BoundExpression expression, int leftWidth)
    {
        var ordinals = new HashSet<int>();
        if (!BoundTree.TryCollectColumns(expression, ordinals))
        {
            return 3;
        }

        var left = ordinals.Any(o => o < leftWidth);
        var right = ordinals.Any(o => o >= leftWidth);
        return (left ? 1 : 0) | (right ? 2 : 0);
    }
}
