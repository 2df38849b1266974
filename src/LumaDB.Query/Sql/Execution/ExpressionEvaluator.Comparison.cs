using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Comparison and pattern-matching kernels.</summary>
public sealed partial class ExpressionEvaluator
{
    internal static ColumnVector Compare(BinaryOperator op, ColumnVector left, ColumnVector right)
    {
        var n = left.Length;
        var order = new int[n];
        switch (left.Values)
        {
            case short[] l: CompareValues(l, right.As<short>(), order); break;
            case int[] l: CompareValues(l, right.As<int>(), order); break;
            case long[] l: CompareValues(l, right.As<long>(), order); break;
            case decimal[] l: CompareValues(l, right.As<decimal>(), order); break;
            case bool[] l: CompareValues(l, right.As<bool>(), order); break;
            case Guid[] l: CompareValues(l, right.As<Guid>(), order); break;
            case SqlInterval[] l: CompareValues(l, right.As<SqlInterval>(), order); break;
            case float[] l:
                var rf = right.As<float>();
                for (var i = 0; i < n; i++)
                {
                    order[i] = Operators.RowComparer.CompareFloat(l[i], rf[i]);
                }

                break;
            case double[] l:
                var rd = right.As<double>();
                for (var i = 0; i < n; i++)
                {
                    order[i] = Operators.RowComparer.CompareFloat(l[i], rd[i]);
                }

                break;
            case string[] l:
                // C collation: code-point order. bpchar ignores trailing spaces.
                var rs = right.As<string>();
                var pad = left.Type.Kind == SqlTypeKind.Bpchar;
                var jsonb = left.Type.Kind == SqlTypeKind.Jsonb;
                for (var i = 0; i < n; i++)
                {
                    if (l[i] is not null && rs[i] is not null)
                    {
                        order[i] = jsonb ? Json.JsonbOrder.Compare(l[i], rs[i]) : pad
                            ? l[i].AsSpan().TrimEnd(' ').SequenceCompareTo(rs[i].AsSpan().TrimEnd(' '))
                            : string.CompareOrdinal(l[i], rs[i]);
                    }
                }

                break;
            case byte[][] l:
                var rb = right.As<byte[]>();
                for (var i = 0; i < n; i++)
                {
                    if (l[i] is not null && rb[i] is not null)
                    {
                        order[i] = l[i].AsSpan().SequenceCompareTo(rb[i]);
                    }
                }

                break;
            case object?[]?[] l:
                var ra = right.As<object?[]?>();
                for (var i = 0; i < n; i++)
                {
                    if (l[i] is { } a && ra[i] is { } b)
                    {
                        order[i] = Operators.RowComparer.CompareValues(a, b);
                    }
                }

                break;
            default:
                throw new SqlException(SqlState.UndefinedFunction, $"could not identify a comparison function for type {left.Type.DisplayName}");
        }

        var result = new bool[n];
        switch (op)
        {
            case BinaryOperator.Equal: for (var i = 0; i < n; i++) { result[i] = order[i] == 0; } break;
            case BinaryOperator.NotEqual: for (var i = 0; i < n; i++) { result[i] = order[i] != 0; } break;
            case BinaryOperator.LessThan: for (var i = 0; i < n; i++) { result[i] = order[i] < 0; } break;
            case BinaryOperator.LessThanOrEqual: for (var i = 0; i < n; i++) { result[i] = order[i] <= 0; } break;
            case BinaryOperator.GreaterThan: for (var i = 0; i < n; i++) { result[i] = order[i] > 0; } break;
            default: for (var i = 0; i < n; i++) { result[i] = order[i] >= 0; } break;
        }

        return new ColumnVector(SqlType.Boolean, result, UnionNulls(left, right));
    }

    /// <summary>Compares through the constrained interface call, which the JIT devirtualizes for each struct type.</summary>
    private static void CompareValues<T>(T[] left, T[] right, int[] order)
        where T : struct, IComparable<T>
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = left[i].CompareTo(right[i]);
        }
    }

    private ColumnVector Like(BoundLike like, BatchInput input)
    {
        var operand = Evaluate(like.Operand, input);
        var pattern = Evaluate(like.Pattern, input);
        var escape = like.Escape is null ? null : Evaluate(like.Escape, input);
        var values = operand.As<string>();
        var patterns = pattern.As<string>();
        var nulls = UnionNulls(operand, pattern);
        if (escape is not null)
        {
            nulls = UnionNulls(new ColumnVector(SqlType.Text, values, nulls), escape);
        }

        var result = new bool[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (nulls is not null && nulls[i])
            {
                continue;
            }

            var escapeChar = '\\';
            if (escape is not null)
            {
                var e = escape.As<string>()[i];
                if (e.Length > 1)
                {
                    SqlErrors.Throw(SqlState.InvalidEscapeSequence, "invalid escape string", "Escape string must be empty or one character.");
                }

                escapeChar = e.Length == 0 ? '\0' : e[0];
            }

            result[i] = LikeMatcher.Matches(values[i], patterns[i], escapeChar, like.CaseInsensitive) != like.Negated;
        }

        return new ColumnVector(SqlType.Boolean, result, nulls);
    }
}
