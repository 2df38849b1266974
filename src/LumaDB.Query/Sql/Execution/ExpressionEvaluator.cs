using Apache.Arrow;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Evaluates bound expressions a batch at a time. Each node turns its inputs into one
/// <see cref="ColumnVector"/>; arithmetic, comparison and logic run as typed loops over spans, and CASE and
/// COALESCE evaluate a branch only on the rows that reach it, so a guarded <c>1/x</c> never divides by zero.
/// </summary>
public sealed partial class ExpressionEvaluator
{
    private readonly EvaluationContext _context;

    /// <summary>Creates an evaluator for one statement.</summary>
    public ExpressionEvaluator(EvaluationContext context) => _context = context;

    /// <summary>The statement's context.</summary>
    internal EvaluationContext Context => _context;

    /// <summary>Evaluates <paramref name="expression"/> over <paramref name="batch"/>; column references address batch columns by ordinal.</summary>
    public IArrowArray Evaluate(BoundExpression expression, RecordBatch batch) =>
        ArrowColumns.ToArrow(Evaluate(expression, new BatchInput(batch)));

    /// <summary>Evaluates over input columns already in vector form.</summary>
    public ColumnVector Evaluate(BoundExpression expression, IReadOnlyList<ColumnVector> columns, int rowCount) =>
        Evaluate(expression, new BatchInput(columns, rowCount));

    internal ColumnVector Evaluate(BoundExpression expression, BatchInput input) => expression switch
    {
        BoundRowDependent d => d.Evaluate(this, input),
        BoundConstant c => ColumnVector.Repeat(c.Type.Kind == SqlTypeKind.Unknown ? SqlType.Text : c.Type, c.Value, input.RowCount),
        BoundParameter p => ColumnVector.Repeat(p.Type.Kind == SqlTypeKind.Unknown ? SqlType.Text : p.Type, _context.Parameter(p.Index), input.RowCount),
        BoundColumn c => input.Column(c.Ordinal, c.Type),
        BoundCast c => Cast(Evaluate(c.Operand, input), c.Type, c.IsExplicit),
        BoundNegate n => Negate(Evaluate(n.Operand, input)),
        BoundNot n => Not(Evaluate(n.Operand, input)),
        BoundLogical l => Logical(l.IsAnd, Evaluate(l.Left, input), Evaluate(l.Right, input)),
        BoundBinary b => Binary(b, Evaluate(b.Left, input), Evaluate(b.Right, input)),
        BoundNullTest { Operand: BoundParameter p } t => ColumnVector.Repeat(SqlType.Boolean, (_context.Parameter(p.Index) is null) != t.Negated, input.RowCount),
        BoundNullTest t => NullTest(Evaluate(t.Operand, input), t.Negated),
        BoundBooleanTest t => BooleanTest(Evaluate(t.Operand, input), t.Test, t.Negated),
        BoundIsDistinct d => IsDistinct(Evaluate(d.Left, input), Evaluate(d.Right, input), d.Negated),
        BoundInList i => InList(i, input),
        BoundLike l => Like(l, input),
        BoundCase c => Case(c, input),
        BoundFunction f => Function(f, input),
        _ => throw new SqlException(SqlState.FeatureNotSupported, $"cannot evaluate {expression.GetType().Name}"),
    };

    private static ColumnVector Cast(ColumnVector source, SqlType target, bool isExplicit)
    {
        if (source.Type == target)
        {
            return source;
        }

        // Widening integer and float casts are the common implicit ones; give them plain loops.
        switch (source.Values, target.Kind)
        {
            case (int[] s, SqlTypeKind.Int8): return Widen(source, s, static v => (long)v, target);
            case (int[] s, SqlTypeKind.Float8) when source.Type.Kind == SqlTypeKind.Int4: return Widen(source, s, static v => (double)v, target);
            case (long[] s, SqlTypeKind.Float8) when source.Type.Kind == SqlTypeKind.Int8: return Widen(source, s, static v => (double)v, target);
            case (short[] s, SqlTypeKind.Int4): return Widen(source, s, static v => (int)v, target);
            case (short[] s, SqlTypeKind.Int8): return Widen(source, s, static v => (long)v, target);
            case (float[] s, SqlTypeKind.Float8): return Widen(source, s, static v => (double)v, target);
        }

        var result = ColumnVector.Allocate(target, source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            if (source.IsNull(i))
            {
                result.SetNull(i);
            }
            else
            {
                result.Values.SetValue(SqlCasts.Convert(source.Values.GetValue(i)!, source.Type, target, isExplicit), i);
            }
        }

        return result;
    }

    private static ColumnVector Widen<TFrom, TTo>(ColumnVector source, TFrom[] values, Func<TFrom, TTo> convert, SqlType target)
    {
        var result = new TTo[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }

        return new ColumnVector(target, result, source.Nulls);
    }

    internal static ColumnVector Not(ColumnVector operand)
    {
        var values = operand.As<bool>();
        var result = new bool[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = !values[i];
        }

        return new ColumnVector(SqlType.Boolean, result, operand.Nulls);
    }

    /// <summary>Three-valued AND/OR: FALSE AND NULL is FALSE, TRUE OR NULL is TRUE, otherwise NULL wins over the other value.</summary>
    internal static ColumnVector Logical(bool isAnd, ColumnVector left, ColumnVector right)
    {
        var n = left.Length;
        var lv = left.As<bool>();
        var rv = right.As<bool>();
        var ln = left.Nulls;
        var rn = right.Nulls;
        var values = new bool[n];
        bool[]? nulls = ln is null && rn is null ? null : new bool[n];
        for (var i = 0; i < n; i++)
        {
            var lNull = ln is not null && ln[i];
            var rNull = rn is not null && rn[i];

            // The dominant value (FALSE for AND, TRUE for OR) decides even against NULL.
            var dominant = !isAnd;
            var decided = (!lNull && lv[i] == dominant) | (!rNull && rv[i] == dominant);
            var isNull = !decided & (lNull | rNull);
            values[i] = decided ? dominant : !isNull && !dominant;
            if (nulls is not null)
            {
                nulls[i] = isNull;
            }
        }

        return new ColumnVector(SqlType.Boolean, values, nulls);
    }

    private static ColumnVector NullTest(ColumnVector operand, bool negated)
    {
        var result = new bool[operand.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = operand.IsNull(i) != negated;
        }

        return new ColumnVector(SqlType.Boolean, result, null);
    }

    private static ColumnVector BooleanTest(ColumnVector operand, IsTest test, bool negated)
    {
        var values = operand.As<bool>();
        var result = new bool[operand.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var isNull = operand.IsNull(i);
            var matches = test switch
            {
                IsTest.True => !isNull && values[i],
                IsTest.False => !isNull && !values[i],
                _ => isNull,
            };
            result[i] = matches != negated;
        }

        return new ColumnVector(SqlType.Boolean, result, null);
    }

    private static ColumnVector IsDistinct(ColumnVector left, ColumnVector right, bool negated)
    {
        var equal = Compare(BinaryOperator.Equal, left, right);
        var eq = equal.As<bool>();
        var result = new bool[left.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var l = left.IsNull(i);
            var r = right.IsNull(i);
            var distinct = l || r ? l != r : !eq[i];
            result[i] = distinct != negated;
        }

        return new ColumnVector(SqlType.Boolean, result, null);
    }

    private ColumnVector InList(BoundInList inList, BatchInput input)
    {
        // x IN (a, b) is x = a OR x = b, with the same NULL rules.
        var operand = Evaluate(inList.Operand, input);
        ColumnVector? result = null;
        foreach (var item in inList.Items)
        {
            var eq = Compare(BinaryOperator.Equal, operand, Evaluate(item, input));
            result = result is null ? eq : Logical(isAnd: false, result, eq);
        }

        return inList.Negated ? Not(result!) : result!;
    }

    private ColumnVector Case(BoundCase expression, BatchInput input)
    {
        var result = ColumnVector.Allocate(expression.Type, input.RowCount);
        var pending = Enumerable.Range(0, input.RowCount).ToArray();
        foreach (var when in expression.Whens)
        {
            if (pending.Length == 0)
            {
                break;
            }

            var subset = input.Gather(pending);
            var condition = Evaluate(when.Condition, subset);
            var hits = new List<int>();
            var misses = new List<int>();
            var cv = condition.As<bool>();
            for (var i = 0; i < pending.Length; i++)
            {
                (cv[i] && !condition.IsNull(i) ? hits : misses).Add(pending[i]);
            }

            if (hits.Count > 0)
            {
                var rows = hits.ToArray();
                Evaluate(when.Result, input.Gather(rows)).ScatterInto(result, rows);
            }

            pending = [.. misses];
        }

        if (pending.Length > 0)
        {
            if (expression.Else is null)
            {
                foreach (var row in pending)
                {
                    result.SetNull(row);
                }
            }
            else
            {
                Evaluate(expression.Else, input.Gather(pending)).ScatterInto(result, pending);
            }
        }

        return result;
    }
}
