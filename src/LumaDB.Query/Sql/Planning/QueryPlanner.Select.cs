using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>SELECT: FROM, WHERE, GROUP BY/HAVING, window functions, targets, DISTINCT, ORDER BY, LIMIT.</summary>
internal sealed partial class QueryPlanner
{
    private PlanNode PlanSelect(SelectBody body, SyntaxList<OrderByItem> orderBy, Expression? limit, Expression? offset)
    {
        var enclosing = _frame;
        var node = PlanFromList(body.From);
        var input = new Frame(enclosing, node.Columns, _level!) { AggregateForbidden = "WHERE" };
        _frame = input;
        if (body.Where is not null && node is JoinNode join && join.Kind is JoinKind.Inner or JoinKind.Cross or JoinKind.Left)
        {
            // Each conjunct is bound alone so it keeps its own text when it moves below the join.
            var conjuncts = new List<(BoundExpression Predicate, string Text)>();
            foreach (var part in SyntaxConjuncts(body.Where))
            {
                conjuncts.Add((_binder.BindCondition(part, "WHERE"), SqlFormatter.Format(part)));
            }

            node = FilterJoin(join, conjuncts);
        }
        else if (body.Where is not null && node is ProjectSetNode lateral)
        {
            node = FilterLateral(lateral, body.Where);
        }
        else if (body.Where is not null)
        {
            var predicate = _binder.BindCondition(body.Where, "WHERE");
            node = AddFilter(node, predicate, SqlFormatter.Format(body.Where));
        }

        var targets = ExpandTargets(body.Targets, input);
        var orderExpressions = orderBy.Select(o => o.Expression).ToList();
        var hasAggregates = body.GroupBy.Count > 0 || body.Having is not null ||
            ContainsCall(targets.Select(t => t.Expression).Concat(orderExpressions), windows: false);
        var hasWindows = ContainsCall(targets.Select(t => t.Expression).Concat(orderExpressions), windows: true);

        AggregateScope? aggregation = null;
        Frame frame = new(enclosing, input.Columns, _level!) { AggregateForbidden = "WHERE" };
        if (hasAggregates)
        {
            aggregation = new AggregateScope(new Frame(enclosing, input.Columns, _level!) { AggregateForbidden = "GROUP BY" });
            _frame = aggregation.Input;
            foreach (var group in body.GroupBy)
            {
                var expression = GroupExpression(group, targets, input);
                var bound = _binder.BindTopLevel(expression);
                aggregation.KeySyntax.Add(expression);
                aggregation.Keys.Add(bound);
                aggregation.Columns.Add(new PlanColumn(null, bound is BoundColumn c ? c.Name : "?column?", bound.Type));
            }

            frame = new Frame(enclosing, aggregation.Columns, _level!) { Aggregation = aggregation };
        }

        var windows = hasWindows ? new WindowScope() : null;
        var sets = new SetFunctionScope();
        var projectFrame = new Frame(enclosing, frame.Columns, _level!)
        {
            Aggregation = aggregation,
            Windows = windows,
            SetFunctions = sets,
            AggregateForbidden = hasAggregates ? null : "this context",
        };
        _frame = projectFrame;

        var bindings = targets.Select(t => _binder.BindTopLevel(t.Expression)).ToList();
        BoundExpression? having = null;
        if (body.Having is not null)
        {
            _frame = new Frame(enclosing, frame.Columns, _level!) { Aggregation = aggregation, SetFunctionsClause = "HAVING" };
            having = _binder.BindCondition(body.Having, "HAVING");
            _frame = projectFrame;
        }

        // ORDER BY: output positions and names first, then expressions over the input (hidden columns).
        var keys = new List<SortKey>();
        var hidden = new List<BoundExpression>();
        foreach (var item in orderBy)
        {
            keys.Add(MakeKey(ResolveOrderItem(item.Expression, targets, bindings, hidden), item));
        }

        var distinctOn = new List<int>();
        if (body.DistinctOn is { } on)
        {
            foreach (var expression in on)
            {
                distinctOn.Add(ResolveOrderItem(expression, targets, bindings, hidden));
            }
        }

        if (aggregation is not null)
        {
            node = new HashAggregateNode(node, [.. aggregation.Columns], aggregation.Keys, aggregation.KeySyntax.Select(SqlFormatter.Format).ToArray(), aggregation.Aggregates);
            if (having is not null)
            {
                node = new FilterNode(node, having, SqlFormatter.Format(body.Having!));
            }
        }

        if (windows is not null && windows.Functions.Count > 0)
        {
            var width = node.Columns.Count;
            node = new WindowNode(node, windows.Functions);
            BoundExpression Remap(BoundExpression e) => BoundTree.MapColumns(e, c => c.Ordinal >= WindowScope.Base ? c with { Ordinal = width + c.Ordinal - WindowScope.Base } : c);
            bindings = bindings.Select(Remap).ToList();
            for (var i = 0; i < hidden.Count; i++)
            {
                hidden[i] = Remap(hidden[i]);
            }
        }

        if (sets.Calls.Count > 0)
        {
            node = AddProjectSets(node, sets, out var remap);
            bindings = bindings.Select(remap).ToList();
            for (var i = 0; i < hidden.Count; i++)
            {
                hidden[i] = remap(hidden[i]);
            }
        }

        var inputColumns = node.Columns;
        var columns = new List<PlanColumn>();
        for (var i = 0; i < targets.Count; i++)
        {
            var origin = bindings[i] is BoundColumn c && aggregation is null && c.Ordinal < inputColumns.Count ? inputColumns[c.Ordinal] : null;
            columns.Add(new PlanColumn(null, targets[i].Name, bindings[i].Type, origin?.TableId ?? 0, origin?.ColumnNumber ?? 0));
        }

        if (body.Distinct && body.DistinctOn is null && hidden.Count > 0)
        {
            throw new SqlException(SqlState.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
        }

        node = new ProjectNode(node, [.. columns, .. hidden.Select((h, i) => new PlanColumn(null, "?sort" + i, h.Type))], [.. bindings, .. hidden]);
        _frame = enclosing;

        if (body.DistinctOn is not null)
        {
            // DISTINCT ON keeps the first row of each key in ORDER BY order.
            var sortKeys = distinctOn.Select(o => keys.FirstOrDefault(k => k.Ordinal == o) is { } k && keys.Contains(k) ? k : new SortKey(o, false, false)).ToList();
            sortKeys.AddRange(keys.Where(k => !distinctOn.Contains(k.Ordinal)));
            node = new SortNode(node, sortKeys);
            node = new DistinctNode(node, distinctOn);
            keys = [];
        }
        else if (body.Distinct)
        {
            node = new DistinctNode(node, Enumerable.Range(0, columns.Count).ToArray());
        }

        return Finish(node, keys, columns.Count, limit, offset);
    }

    /// <summary>An ORDER BY (or DISTINCT ON) item as an output ordinal: a position, an output name, a repeated target, or a new hidden column.</summary>
    private int ResolveOrderItem(Expression expression, List<(Expression Expression, string Name)> targets, List<BoundExpression> bindings, List<BoundExpression> hidden)
    {
        if (expression is IntegerLiteral position)
        {
            return CheckPosition(position, targets.Count);
        }

        if (expression is ColumnReference { Parts.Count: 1 } reference)
        {
            var matches = Enumerable.Range(0, targets.Count).Where(i => targets[i].Name == reference.Name).ToList();
            if (matches.Count > 0)
            {
                if (matches.Select(i => bindings[i]).Distinct().Count() > 1)
                {
                    throw new SqlException(SqlState.AmbiguousColumn, $"ORDER BY \"{reference.Name}\" is ambiguous");
                }

                return matches[0];
            }
        }

        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Expression == expression)
            {
                return i;
            }
        }

        var bound = _binder.BindTopLevel(expression);
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i] == bound && bound is BoundColumn)
            {
                return i;
            }
        }

        hidden.Add(bound);
        return targets.Count + hidden.Count - 1;
    }

    /// <summary>GROUP BY items may name output positions or output aliases, as in PostgreSQL.</summary>
    private Expression GroupExpression(Expression group, List<(Expression Expression, string Name)> targets, Frame input)
    {
        if (group is IntegerLiteral position)
        {
            if (position.Value < 1 || position.Value > targets.Count)
            {
                throw new SqlException(SqlState.InvalidColumnReference, $"GROUP BY position {position.Value} is not in select list");
            }

            return targets[(int)position.Value - 1].Expression;
        }

        if (group is ColumnReference { Parts.Count: 1 } reference && ResolveInFrame(input, reference, out _) < 0)
        {
            foreach (var target in targets)
            {
                if (target.Name == reference.Name)
                {
                    return target.Expression;
                }
            }
        }

        return group;
    }

    private static List<(Expression Expression, string Name)> ExpandTargets(SyntaxList<SelectItem> items, Frame frame)
    {
        var targets = new List<(Expression, string)>();
        foreach (var item in items)
        {
            if (item.Expression is StarExpression star)
            {
                var qualifier = star.Qualifier?.Name;
                var any = false;
                foreach (var column in frame.Columns)
                {
                    if (column.Hidden || (qualifier is not null && column.Table != qualifier))
                    {
                        continue;
                    }

                    any = true;
                    targets.Add((new ColumnReference(column.Table is null ? new SyntaxList<string>([column.Name]) : new SyntaxList<string>([column.Table, column.Name])), column.Name));
                }

                if (!any && qualifier is not null)
                {
                    throw new SqlException(SqlState.UndefinedTable, $"missing FROM-clause entry for table \"{qualifier}\"");
                }

                if (!any && frame.Columns.Count == 0 && qualifier is null)
                {
                    throw new SqlException(SqlState.SyntaxError, "SELECT * with no tables specified is not valid");
                }

                continue;
            }

            targets.Add((item.Expression, item.Alias ?? ConstantQueryExecutor.ColumnName(item.Expression)));
        }

        return targets;
    }

    /// <summary>The operands of a chain of ANDs, left to right.</summary>
    private static List<Expression> SyntaxConjuncts(Expression expression)
    {
        var parts = new List<Expression>();
        void Walk(Expression e)
        {
            if (e is BinaryExpression { Operator: BinaryOperator.And } and)
            {
                Walk(and.Left);
                Walk(and.Right);
            }
            else
            {
                parts.Add(e);
            }
        }

        Walk(expression);
        return parts;
    }

    /// <summary>
    /// Applies WHERE conjuncts to a join: those reading only one input's columns filter that input below the
    /// join (down to its scans, where storage can use them), so fewer rows are built, probed and paired; the
    /// rest filter the join's output. Only the preserved side of a left join takes conjuncts, and conjuncts
    /// with subqueries or anything but plain expressions stay above.
    /// </summary>
    private static PlanNode FilterJoin(JoinNode join, List<(BoundExpression Predicate, string Text)> conjuncts)
    {
        var leftWidth = join.Left.Columns.Count;
        var left = new List<(BoundExpression, string)>();
        var right = new List<(BoundExpression, string)>();
        var rest = new List<(BoundExpression Predicate, string Text)>();
        foreach (var (predicate, text) in conjuncts)
        {
            var side = IsPlain(predicate) ? Side(predicate, leftWidth) : 3;
            if (side == 1)
            {
                left.Add((predicate, text));
            }
            else if (side == 2 && join.Kind != JoinKind.Left)
            {
                right.Add((BoundTree.MapColumns(predicate, c => c with { Ordinal = c.Ordinal - leftWidth }), text));
            }
            else
            {
                rest.Add((predicate, text));
            }
        }

        PlanNode node = join;
        if (left.Count > 0 || right.Count > 0)
        {
            node = join.WithInputs(Below(join.Left, left), Below(join.Right, right));
        }

        return rest.Count == 0 ? node : AddFilter(node, BoundTree.And([.. rest.Select(r => r.Predicate)])!, JoinTexts(rest));

        static PlanNode Below(PlanNode input, List<(BoundExpression Predicate, string Text)> parts)
        {
            if (parts.Count == 0)
            {
                return input;
            }

            return input is JoinNode inner && inner.Kind is JoinKind.Inner or JoinKind.Cross or JoinKind.Left
                ? FilterJoin(inner, parts)
                : AddFilter(input, BoundTree.And([.. parts.Select(p => p.Predicate)])!, JoinTexts(parts));
        }

        static string JoinTexts(List<(BoundExpression Predicate, string Text)> parts) =>
            parts.Count == 1 ? parts[0].Text : string.Join(" AND ", parts.Select(p => "(" + p.Text + ")"));
    }

    /// <summary>
    /// Whether an expression is built only of columns, constants, parameters, operators and functions (no
    /// subqueries, nothing volatile: moving a nextval into a join side would change how often it runs).
    /// </summary>
    private static bool IsPlain(BoundExpression expression) => expression switch
    {
        BoundColumn or BoundConstant or BoundParameter => true,
        BoundFunction function when BoundTree.IsVolatile(function.Function) => false,
        BoundCast or BoundNegate or BoundNot or BoundBinary or BoundLogical or BoundNullTest or BoundBooleanTest or BoundIsDistinct
            or BoundInList or BoundLike or BoundCase or BoundFunction => BoundTree.Children(expression).All(IsPlain),
        _ => false,
    };

    /// <summary>Adds a filter, merging it into a scan directly below (with storage pushdown) when there is one.</summary>
    private static PlanNode AddFilter(PlanNode node, BoundExpression predicate, string text)
    {
        if (predicate is BoundConstant { Value: true })
        {
            return node;
        }

        if (node is ScanNode scan && scan.Filter is null)
        {
            scan.Filter = predicate;
            scan.FilterText = text;
            Pushdown.Apply(scan, predicate);
            return scan;
        }

        SystemTableScans.Offer(node, predicate);
        return new FilterNode(node, predicate, text);
    }
}
