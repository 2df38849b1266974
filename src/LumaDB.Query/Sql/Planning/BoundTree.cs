using LumaDB.Query.Sql.Binding;
using System.Globalization;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Planning;

/// <summary>Walks and rewrites bound expression trees (column ordinals for join keys and pushdown).</summary>
internal static class BoundTree
{
    /// <summary>Ordinals of the input columns the expression reads; false when it has parts that depend on more than its row (subqueries, outer rows, parameters are fine).</summary>
    public static bool TryCollectColumns(BoundExpression expression, HashSet<int> ordinals)
    {
        switch (expression)
        {
            case BoundColumn c:
                ordinals.Add(c.Ordinal);
                return true;
            case BoundConstant or BoundParameter or BoundOuterColumn:
                return true;
            case BoundRowDependent:
                return false;
            default:
                foreach (var child in Children(expression))
                {
                    if (!TryCollectColumns(child, ordinals))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    public static IEnumerable<BoundExpression> Children(BoundExpression expression) => expression switch
    {
        BoundCast c => [c.Operand],
        BoundNegate n => [n.Operand],
        BoundNot n => [n.Operand],
        BoundBinary b => [b.Left, b.Right],
        BoundLogical l => [l.Left, l.Right],
        BoundNullTest t => [t.Operand],
        BoundBooleanTest t => [t.Operand],
        BoundIsDistinct d => [d.Left, d.Right],
        BoundInList i => [i.Operand, .. i.Items],
        BoundLike l => l.Escape is null ? [l.Operand, l.Pattern] : [l.Operand, l.Pattern, l.Escape],
        BoundCase c => [.. c.Whens.SelectMany(w => new[] { w.Condition, w.Result }), .. c.Else is null ? Array.Empty<BoundExpression>() : [c.Else]],
        BoundFunction f => f.Arguments,
        _ => [],
    };

    /// <summary>Rewrites column references; other nodes keep their shape.</summary>
    public static BoundExpression MapColumns(BoundExpression expression, Func<BoundColumn, BoundExpression> map) => expression switch
    {
        BoundColumn c => map(c),
        BoundCast c => c with { Operand = MapColumns(c.Operand, map) },
        BoundNegate n => n with { Operand = MapColumns(n.Operand, map) },
        BoundNot n => n with { Operand = MapColumns(n.Operand, map) },
        BoundBinary b => b with { Left = MapColumns(b.Left, map), Right = MapColumns(b.Right, map) },
        BoundLogical l => l with { Left = MapColumns(l.Left, map), Right = MapColumns(l.Right, map) },
        BoundNullTest t => t with { Operand = MapColumns(t.Operand, map) },
        BoundBooleanTest t => t with { Operand = MapColumns(t.Operand, map) },
        BoundIsDistinct d => d with { Left = MapColumns(d.Left, map), Right = MapColumns(d.Right, map) },
        BoundInList i => i with { Operand = MapColumns(i.Operand, map), Items = i.Items.Select(x => MapColumns(x, map)).ToArray() },
        BoundLike l => l with { Operand = MapColumns(l.Operand, map), Pattern = MapColumns(l.Pattern, map), Escape = l.Escape is null ? null : MapColumns(l.Escape, map) },
        BoundCase c => c with
        {
            Whens = c.Whens.Select(w => new BoundWhen(MapColumns(w.Condition, map), MapColumns(w.Result, map))).ToArray(),
            Else = c.Else is null ? null : MapColumns(c.Else, map),
        },
        BoundFunction f => f with { Arguments = f.Arguments.Select(a => MapColumns(a, map)).ToArray() },
        _ => expression,
    };

    /// <summary>Splits a predicate into its AND-ed parts.</summary>
    public static List<BoundExpression> Conjuncts(BoundExpression predicate)
    {
        var result = new List<BoundExpression>();
        void Walk(BoundExpression e)
        {
            if (e is BoundLogical { IsAnd: true } l)
            {
                Walk(l.Left);
                Walk(l.Right);
            }
            else
            {
                result.Add(e);
            }
        }

        Walk(predicate);
        return result;
    }

    public static BoundExpression? And(IReadOnlyList<BoundExpression> parts) =>
        parts.Count == 0 ? null : parts.Skip(1).Aggregate(parts[0], (a, b) => new BoundLogical(true, a, b));

    /// <summary>
    /// Whether the expression calls a volatile function (nextval, setval, random, gen_random_uuid): one that may
    /// give another value, or change state, each time it is evaluated, so it is never computed once for many rows.
    /// </summary>
    public static bool IsVolatile(BoundExpression expression) =>
        (expression is BoundFunction function && IsVolatile(function.Function)) || Children(expression).Any(IsVolatile);

    /// <summary>Whether the function itself is volatile (see <see cref="IsVolatile(BoundExpression)"/>).</summary>
    public static bool IsVolatile(ScalarFunction function) =>
        function is ScalarFunction.NextVal or ScalarFunction.SetVal or ScalarFunction.Random or ScalarFunction.GenRandomUuid
            or ScalarFunction.ClockTimestamp or ScalarFunction.TimeOfDay;

    /// <summary>Constants, parameters and stable computations over them (casts, arithmetic, now()): evaluable once per run.</summary>
    public static bool IsRowFree(BoundExpression expression) => expression switch
    {
        BoundConstant or BoundParameter => true,
        BoundCast cast => IsRowFree(cast.Operand),
        BoundNegate negate => IsRowFree(negate.Operand),
        BoundBinary binary => binary.Operator is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide
            or BinaryOperator.Concat && IsRowFree(binary.Left) && IsRowFree(binary.Right),
        BoundFunction function => function.Function is ScalarFunction.Now or ScalarFunction.CurrentDate or ScalarFunction.LocalTimestamp
            or ScalarFunction.DateTrunc or ScalarFunction.ToTimestamp && function.Arguments.All(IsRowFree),
        _ => false,
    };

    /// <summary>A comparison of a column with a value that does not depend on the row (<see cref="IsRowFree"/>), column first (the operator flipped when the column stood right).</summary>
    public static (BoundColumn Column, BinaryOperator Op, BoundExpression Value)? Comparison(BoundBinary binary)
    {
        if (binary.Operator is not (BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.LessThan or BinaryOperator.LessThanOrEqual
            or BinaryOperator.GreaterThan or BinaryOperator.GreaterThanOrEqual))
        {
            return null;
        }

        if (binary.Left is BoundColumn left && IsRowFree(binary.Right))
        {
            return (left, binary.Operator, binary.Right);
        }

        if (binary.Right is BoundColumn right && IsRowFree(binary.Left))
        {
            var flipped = binary.Operator switch
            {
                BinaryOperator.LessThan => BinaryOperator.GreaterThan,
                BinaryOperator.LessThanOrEqual => BinaryOperator.GreaterThanOrEqual,
                BinaryOperator.GreaterThan => BinaryOperator.LessThan,
                BinaryOperator.GreaterThanOrEqual => BinaryOperator.LessThanOrEqual,
                var same => same,
            };
            return (right, flipped, binary.Left);
        }

        return null;
    }

    /// <summary>A row-free expression as EXPLAIN shows it.</summary>
    public static string Describe(BoundExpression expression) => expression switch
    {
        BoundConstant { Value: null } => "NULL",
        BoundConstant { Value: string text } => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        BoundConstant constant => Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? "?",
        BoundParameter parameter => "$" + (parameter.Index + 1).ToString(CultureInfo.InvariantCulture),
        BoundCast cast => Describe(cast.Operand) + "::" + cast.Type.DisplayName,
        BoundNegate negate => "-" + Describe(negate.Operand),
        BoundBinary binary => "(" + Describe(binary.Left) + " " + SqlOperators.Symbol(binary.Operator) + " " + Describe(binary.Right) + ")",
        BoundFunction function => function.Function.ToString().ToLowerInvariant() + "(" + string.Join(", ", function.Arguments.Select(Describe)) + ")",
        _ => "?",
    };
}
