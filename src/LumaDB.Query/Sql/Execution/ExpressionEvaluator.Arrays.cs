using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Array kernels. Arrays are one-based <c>object?[]</c> values (nested for more dimensions), so these work
/// row by row; array-valued columns are rare on hot analytical paths.
/// </summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? ArrayFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        switch (call.Function)
        {
            case ScalarFunction.ArrayConstruct:
                return Rows(type, rowCount, row => Construct(args, row));
            case ScalarFunction.ArraySubscript:
                return Strict(args, type, rowCount, row => Subscript((object?[])args[0].GetValue(row)!, (int)args[1].GetValue(row)!));
            case ScalarFunction.ArraySlice:
                return Strict(args, type, rowCount, row => Slice((object?[])args[0].GetValue(row)!, (int)args[1].GetValue(row)!, (int)args[2].GetValue(row)!));
            case ScalarFunction.ArrayAny or ScalarFunction.ArrayAll:
                return Quantified(call.Function == ScalarFunction.ArrayAll, args, rowCount);
            case ScalarFunction.ArrayCat:
                return Rows(type, rowCount, row => (args[0].GetValue(row), args[1].GetValue(row)) switch
                {
                    (null, var b) => b,
                    (var a, null) => a,
                    (object?[] a, object?[] b) => (object?[])[.. a, .. b],
                    _ => null,
                });
            case ScalarFunction.ArrayAppend:
                return Rows(type, rowCount, row => args[0].GetValue(row) is object?[] a ? (object?[])[.. a, args[1].GetValue(row)] : new object?[] { args[1].GetValue(row) });
            case ScalarFunction.ArrayPrepend:
                return Rows(type, rowCount, row => args[1].GetValue(row) is object?[] a ? (object?[])[args[0].GetValue(row), .. a] : new object?[] { args[0].GetValue(row) });
            case ScalarFunction.ArrayContains:
                return Strict(args, type, rowCount, row => Contains((object?[])args[0].GetValue(row)!, (object?[])args[1].GetValue(row)!));
            case ScalarFunction.ArrayContainedBy:
                return Strict(args, type, rowCount, row => Contains((object?[])args[1].GetValue(row)!, (object?[])args[0].GetValue(row)!));
            case ScalarFunction.ArrayOverlaps:
                return Strict(args, type, rowCount, row => Flatten((object?[])args[0].GetValue(row)!).Any(x => x is not null && Flatten((object?[])args[1].GetValue(row)!).Any(y => y is not null && RowComparer.CompareValues(x, y) == 0)));
            case ScalarFunction.ArrayLength or ScalarFunction.ArrayUpper:
                return Strict(args, type, rowCount, row => Length((object?[])args[0].GetValue(row)!, (int)args[1].GetValue(row)!));
            case ScalarFunction.ArrayLower:
                return Strict(args, type, rowCount, row => Length((object?[])args[0].GetValue(row)!, (int)args[1].GetValue(row)!) is null ? null : 1);
            case ScalarFunction.Cardinality:
                return Strict(args, type, rowCount, row => Flatten((object?[])args[0].GetValue(row)!).Count());
            case ScalarFunction.ArrayNdims:
                return Strict(args, type, rowCount, row => Dimensions((object?[])args[0].GetValue(row)!) is { Count: > 0 } d ? d.Count : null);
            case ScalarFunction.ArrayDims:
                return Strict(args, type, rowCount, row => Dimensions((object?[])args[0].GetValue(row)!) is { Count: > 0 } d
                    ? string.Concat(d.Select(n => string.Create(CultureInfo.InvariantCulture, $"[1:{n}]")))
                    : null);
            case ScalarFunction.ArrayToString:
                return Rows(type, rowCount, row => ArrayToString(args, row));
            case ScalarFunction.StringToArray:
                return Rows(type, rowCount, row => StringToArray(args, row));
            case ScalarFunction.ArrayPosition:
                return Rows(type, rowCount, row =>
                {
                    if (args[0].GetValue(row) is not object?[] array)
                    {
                        return null;
                    }

                    var wanted = args[1].GetValue(row);
                    for (var i = 0; i < array.Length; i++)
                    {
                        if (wanted is null ? array[i] is null : array[i] is { } item && RowComparer.CompareValues(item, wanted) == 0)
                        {
                            return i + 1;
                        }
                    }

                    return null;
                });
            case ScalarFunction.ArrayRemove:
                return Rows(type, rowCount, row => args[0].GetValue(row) is object?[] array
                    ? array.Where(x => !SameElement(x, args[1].GetValue(row))).ToArray()
                    : null);
            case ScalarFunction.ArrayReplace:
                return Rows(type, rowCount, row => args[0].GetValue(row) is object?[] array
                    ? array.Select(x => SameElement(x, args[1].GetValue(row)) ? args[2].GetValue(row) : x).ToArray()
                    : null);
            default:
                return null;
        }
    }

    private static ColumnVector Rows(SqlType type, int rowCount, Func<int, object?> compute)
    {
        var result = ColumnVector.Allocate(type, rowCount);
        for (var row = 0; row < rowCount; row++)
        {
            var value = compute(row);
            if (value is null)
            {
                result.SetNull(row);
            }
            else
            {
                result.Values.SetValue(value, row);
            }
        }

        return result;
    }

    /// <summary>Null when any argument is null, else the computed value.</summary>
    private static ColumnVector Strict(ColumnVector[] args, SqlType type, int rowCount, Func<int, object?> compute) =>
        Rows(type, rowCount, row => args.Any(a => a.IsNull(row)) ? null : compute(row));

    private static object?[] Construct(ColumnVector[] args, int row)
    {
        var elements = new object?[args.Length];
        int? width = null;
        for (var i = 0; i < args.Length; i++)
        {
            elements[i] = args[i].GetValue(row);
            if (args[i].Type.IsArray)
            {
                // Sub-arrays of a multidimensional array must all have the same shape.
                var length = elements[i] is object?[] inner ? inner.Length : -1;
                if (length >= 0 && width is { } w && w != length)
                {
                    throw new SqlException(SqlState.ArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions");
                }

                width = length >= 0 ? length : width;
            }
        }

        return elements;
    }

    private static object? Subscript(object?[] array, int index) => index >= 1 && index <= array.Length ? array[index - 1] : null;

    private static object?[] Slice(object?[] array, int lower, int upper)
    {
        var from = Math.Max(lower, 1);
        var to = Math.Min(upper, array.Length);
        return from > to ? [] : array[(from - 1)..to];
    }

    private static ColumnVector Quantified(bool all, ColumnVector[] args, int rowCount)
    {
        var op = (BinaryOperator)(int)args[2].GetValue(0)!;
        var result = ColumnVector.Allocate(SqlType.Boolean, rowCount);
        var flags = (bool[])result.Values;
        for (var row = 0; row < rowCount; row++)
        {
            if (args[1].GetValue(row) is not object?[] array)
            {
                result.SetNull(row);
                continue;
            }

            var elements = Flatten(array).ToArray();
            if (elements.Length == 0)
            {
                flags[row] = all;
                continue;
            }

            var value = args[0].GetValue(row);
            if (value is null)
            {
                result.SetNull(row);
                continue;
            }

            var compared = Compare(op, ColumnVector.Repeat(args[0].Type, value, elements.Length), ColumnVector.FromValues(args[1].Type.ElementType!, elements));
            if (QuantifiedOutcome(compared, all) is { } outcome)
            {
                flags[row] = outcome;
            }
            else
            {
                result.SetNull(row);
            }
        }

        return result;
    }

    /// <summary>
    /// <c>op ANY</c> (or <c>ALL</c> when <paramref name="all"/>) over one comparison per element: decided by the
    /// first element that settles it, else null when any comparison was null, else true for ALL and false for ANY.
    /// </summary>
    internal static bool? QuantifiedOutcome(ColumnVector compared, bool all)
    {
        var outcomes = compared.As<bool>();
        var sawNull = false;
        for (var i = 0; i < compared.Length; i++)
        {
            if (compared.IsNull(i))
            {
                sawNull = true;
            }
            else if (outcomes[i] != all)
            {
                return !all;
            }
        }

        return sawNull ? null : all;
    }

    /// <summary>The elements of an array in storage order, nested dimensions flattened.</summary>
    internal static IEnumerable<object?> Flatten(object?[] array)
    {
        foreach (var item in array)
        {
            if (item is object?[] inner)
            {
                foreach (var x in Flatten(inner))
                {
                    yield return x;
                }
            }
            else
            {
                yield return item;
            }
        }
    }

    private static List<int> Dimensions(object?[] array)
    {
        var dims = new List<int>();
        object? level = array;
        while (level is object?[] { Length: > 0 } items)
        {
            dims.Add(items.Length);
            level = items[0];
        }

        return dims;
    }

    private static int? Length(object?[] array, int dimension)
    {
        var dims = Dimensions(array);
        return dimension >= 1 && dimension <= dims.Count ? dims[dimension - 1] : null;
    }

    /// <summary>Every non-null element of <paramref name="needles"/> is in <paramref name="haystack"/>; PostgreSQL's @&gt; never matches a null.</summary>
    private static bool Contains(object?[] haystack, object?[] needles)
    {
        var items = Flatten(haystack).ToArray();
        return Flatten(needles).All(n => n is not null && items.Any(h => h is not null && RowComparer.CompareValues(h, n) == 0));
    }

    private static bool SameElement(object? x, object? y) => x is null ? y is null : y is not null && RowComparer.CompareValues(x, y) == 0;

    private static string? ArrayToString(ColumnVector[] args, int row)
    {
        if (args[0].GetValue(row) is not object?[] array || args[1].GetValue(row) is not string separator)
        {
            return null;
        }

        var nullText = args.Length > 2 ? args[2].GetValue(row) as string : null;
        var element = args[0].Type.ElementType!;
        var text = new StringBuilder();
        var first = true;
        foreach (var item in Flatten(array))
        {
            if (item is null && nullText is null)
            {
                continue;
            }

            if (!first)
            {
                text.Append(separator);
            }

            first = false;
            text.Append(item is null ? nullText : SqlText.Format(item, element));
        }

        return text.ToString();
    }

    private static object?[]? StringToArray(ColumnVector[] args, int row)
    {
        if (args[0].GetValue(row) is not string text)
        {
            return null;
        }

        var nullText = args.Length > 2 ? args[2].GetValue(row) as string : null;
        if (text.Length == 0)
        {
            return [];
        }

        string[] parts = args[1].GetValue(row) switch
        {
            null => text.Select(c => c.ToString()).ToArray(),
            "" => [text],
            string separator => text.Split(separator),
            _ => [text],
        };
        return parts.Select(p => nullText is not null && p == nullText ? null : (object?)p).ToArray();
    }
}
