using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// Set-returning functions in FROM that read the columns of the items before them (<c>FROM t, unnest(t.tags)</c>,
/// <c>CROSS JOIN LATERAL jsonb_each(t.doc)</c>, <c>LEFT JOIN LATERAL ... ON true</c>): as in PostgreSQL, LATERAL
/// is implied for function calls. Such an item is a ProjectSet over the left side rather than a join.
/// </summary>
internal sealed partial class QueryPlanner
{
    /// <summary>
    /// The left side expanded by the function item <paramref name="reference"/> when its arguments read the left
    /// side's columns; null when they do not, and the item is planned on its own and joined.
    /// </summary>
    private PlanNode? TryPlanLateralFunction(PlanNode left, FunctionTableReference reference, JoinTableReference? join)
    {
        if (reference.Function is not FunctionCall call || !IsSetReturning(call))
        {
            return null;
        }

        var saved = _frame;
        _frame = new Frame(_frame, left.Columns, _level!) { AggregateForbidden = "functions in FROM" };
        SetFunctionCall[] calls;
        try
        {
            calls = BindFromCalls(call);
        }
        finally
        {
            _frame = saved;
        }

        if (!calls.Any(c => c.Arguments.Any(ReadsRowColumns)))
        {
            return null;
        }

        var kind = LateralKind(left, join);
        var functionColumns = FunctionColumns(reference, call, calls).ToArray();
        var columns = left.Columns.Concat(functionColumns).ToArray();
        var condition = BindLateralCondition(columns, join);
        if (kind == JoinKind.Left && condition is not (null or BoundConstant { Value: true }))
        {
            // The condition decides which function rows match each left row: the calls run per left row reading it
            // as their outer row, as a LATERAL subquery does.
            _frame = new Frame(new Frame(saved, left.Columns, _level!), [], _level!) { AggregateForbidden = "functions in FROM" };
            try
            {
                calls = BindFromCalls(call);
            }
            finally
            {
                _frame = saved;
            }

            var perRow = new ProjectSetNode(new ValuesNode([], [[]]), functionColumns, calls, reference.WithOrdinality);
            return new LateralJoinNode(left, perRow, columns, keepUnmatched: true, condition);
        }

        PlanNode node = new ProjectSetNode(left, columns, calls, reference.WithOrdinality, keepUnmatched: kind == JoinKind.Left);
        return condition is null ? node : AddFilter(node, condition, SqlFormatter.Format(join!.Condition!));
    }

    /// <summary><c>LATERAL (subquery)</c> after other FROM items: the subquery sees the left side's row as its outer row.</summary>
    private PlanNode PlanLateralSubquery(PlanNode left, SubqueryTableReference subquery, JoinTableReference? join)
    {
        var kind = LateralKind(left, join);
        var saved = _frame;
        _frame = new Frame(saved, left.Columns, _level!);
        PlanNode right;
        try
        {
            right = PlanQuery(subquery.Query, out _);
        }
        finally
        {
            _frame = saved;
        }

        var alias = subquery.Alias?.Name ?? "unnamed_subquery";
        var columns = left.Columns.Concat(RenameColumns(right.Columns, alias, subquery.Alias?.Columns is { Count: > 0 } names ? names : null)).ToArray();
        var condition = BindLateralCondition(columns, join);
        return kind == JoinKind.Left
            ? new LateralJoinNode(left, right, columns, keepUnmatched: true, condition is BoundConstant { Value: true } ? null : condition)
            : condition is null ? new LateralJoinNode(left, right, columns, keepUnmatched: false)
            : AddFilter(new LateralJoinNode(left, right, columns, keepUnmatched: false), condition, SqlFormatter.Format(join!.Condition!));
    }

    private static JoinKind LateralKind(PlanNode left, JoinTableReference? join)
    {
        var kind = join?.Kind ?? JoinKind.Cross;
        return kind is JoinKind.Cross or JoinKind.Inner or JoinKind.Left
            ? kind
            : throw new SqlException(SqlState.InvalidColumnReference, $"invalid reference to FROM-clause entry for table \"{(left.Columns.Count > 0 ? left.Columns[0].Table : null)}\"",
                "The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
    }

    /// <summary>A lateral item's ON condition bound over the joined columns, or null without one.</summary>
    private BoundExpression? BindLateralCondition(IReadOnlyList<PlanColumn> columns, JoinTableReference? join)
    {
        if (join?.Condition is not { } condition)
        {
            return null;
        }

        var saved = _frame;
        _frame = new Frame(saved, columns, _level!) { AggregateForbidden = "JOIN conditions" };
        try
        {
            return _binder.BindCondition(condition, "JOIN/ON");
        }
        finally
        {
            _frame = saved;
        }
    }

    /// <summary>The calls of a function item: one per unnest array and a key and a value call for json(b)_each, else one.</summary>
    private SetFunctionCall[] BindFromCalls(FunctionCall call)
    {
        var name = call.Name.Name;
        if (name == "unnest" && call.Arguments.Count > 1)
        {
            return [.. call.Arguments.Select(a => BindSetFunctionCall(call with { Arguments = new SyntaxList<FunctionArgument>([a]) }))];
        }

        if (name is "json_each" or "jsonb_each" or "json_each_text" or "jsonb_each_text")
        {
            var document = BindJsonDocument(call);
            var valueType = name.EndsWith("_text", StringComparison.Ordinal) ? SqlType.Text : document.Type;
            return
            [
                new SetFunctionCall(name, SetFunctionKind.JsonEachKeys, [document], SqlType.Text),
                new SetFunctionCall(name, SetFunctionKind.JsonEachValues, [document], valueType),
            ];
        }

        return [BindSetFunctionCall(call)];
    }

    /// <summary>Output columns of a function item, named as the FROM forms without LATERAL name them.</summary>
    private static IEnumerable<PlanColumn> FunctionColumns(FunctionTableReference reference, FunctionCall call, SetFunctionCall[] calls)
    {
        var name = call.Name.Name;
        var alias = reference.Alias?.Name ?? name;
        var names = reference.Alias?.Columns ?? [];
        string Default(int i) => name switch
        {
            "json_each" or "jsonb_each" or "json_each_text" or "jsonb_each_text" => i == 0 ? "key" : "value",
            "json_array_elements" or "jsonb_array_elements" or "json_array_elements_text" or "jsonb_array_elements_text" => "value",
            "unnest" when calls.Length > 1 => "unnest",
            _ => alias,
        };

        for (var i = 0; i < calls.Length; i++)
        {
            var single = calls.Length == 1 && !reference.WithOrdinality && names.Count == 0;
            yield return new PlanColumn(alias, i < names.Count ? names[i] : Default(i), calls[i].Type, AliasNamesValue: single);
        }

        if (reference.WithOrdinality)
        {
            yield return new PlanColumn(alias, names.Count > calls.Length ? names[calls.Length] : "ordinality", SqlType.Int8);
        }
    }

    /// <summary>Whether an expression reads a column of the current row (not of an enclosing query).</summary>
    private static bool ReadsRowColumns(BoundExpression expression)
    {
        var reads = false;
        BoundTree.MapColumns(expression, c =>
        {
            reads = true;
            return c;
        });
        return reads;
    }

    /// <summary>
    /// WHERE over a lateral function item: conjuncts that read only the left side's columns filter before the
    /// calls run (as PostgreSQL pushes them down), so the functions never see rows the query leaves out.
    /// </summary>
    private PlanNode FilterLateral(ProjectSetNode set, Expression where)
    {
        var width = set.Input.Columns.Count;
        var below = new List<(BoundExpression Predicate, string Text)>();
        var above = new List<(BoundExpression Predicate, string Text)>();
        foreach (var part in SyntaxConjuncts(where))
        {
            var predicate = _binder.BindCondition(part, "WHERE");
            var ordinals = new HashSet<int>();
            var pushable = BoundTree.TryCollectColumns(predicate, ordinals) && !ContainsSubquery(predicate) && ordinals.All(o => o < width);
            (pushable ? below : above).Add((predicate, SqlFormatter.Format(part)));
        }

        PlanNode node = set;
        if (below.Count > 0)
        {
            node = set.WithInput(AddFilter(set.Input, BoundTree.And(below.Select(b => b.Predicate).ToList())!, string.Join(" AND ", below.Select(b => b.Text))));
        }

        return above.Count == 0 ? node : AddFilter(node, BoundTree.And(above.Select(a => a.Predicate).ToList())!, string.Join(" AND ", above.Select(a => a.Text)));

        static bool ContainsSubquery(BoundExpression e) => e is BoundSubquery || BoundTree.Children(e).Any(ContainsSubquery);
    }
}
