using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>What a set-returning function call produces from its argument values.</summary>
internal enum SetFunctionKind
{
    /// <summary>generate_series(start, stop[, step]): integers, numerics or timestamps.</summary>
    GenerateSeries,

    /// <summary>unnest(array), also regexp_split_to_table and string_to_table over their array forms: one row per element.</summary>
    Unnest,

    /// <summary>json(b)_array_elements[_text]: one row per array element.</summary>
    JsonElements,

    /// <summary>json(b)_object_keys: one row per object key.</summary>
    JsonKeys,

    /// <summary>regexp_matches(text, pattern[, flags]): the captures of the first match, or of every match with <c>g</c>.</summary>
    RegexpMatches,

    /// <summary>The keys of json(b)_each[_text] in FROM; a call of <see cref="JsonEachValues"/> beside it gives the values in the same order.</summary>
    JsonEachKeys,

    /// <summary>The values of json(b)_each[_text] in FROM.</summary>
    JsonEachValues,
}

/// <summary>
/// A bound call of a set-returning function: in a select list (<see cref="ProjectSetNode"/>) or in FROM
/// (<see cref="SetFunctionScanNode"/>). <see cref="Level"/> orders nested calls: a call whose arguments read
/// another call's rows runs in a later ProjectSet, as PostgreSQL plans them.
/// </summary>
internal sealed record SetFunctionCall(string Name, SetFunctionKind Kind, BoundExpression[] Arguments, SqlType Type, int Level = 0)
{
    /// <summary>
    /// The rows of one call for its argument values. All these functions are strict: a null argument (or a null
    /// array or document) gives no rows.
    /// </summary>
    public IEnumerable<object?> Expand(object?[] arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument is null)
            {
                return [];
            }
        }

        return Kind switch
        {
            SetFunctionKind.GenerateSeries => GenerateSeriesNode.Values(Type, arguments[0]!, arguments[1]!, arguments.Length > 2 ? arguments[2] : null),
            SetFunctionKind.Unnest => ExpressionEvaluator.Flatten((object?[])arguments[0]!),
            SetFunctionKind.JsonElements or SetFunctionKind.JsonKeys => JsonTableFunctionNode.Rows(
                Name, Kind == SetFunctionKind.JsonKeys ? JsonTableFunctionNode.Shape.Keys : JsonTableFunctionNode.Shape.Elements, Type.Kind == SqlTypeKind.Text, (string)arguments[0]!)
                .Select(row => row[0]),
            SetFunctionKind.JsonEachKeys or SetFunctionKind.JsonEachValues => JsonTableFunctionNode.Rows(
                Name, JsonTableFunctionNode.Shape.Pairs, Name.EndsWith("_text", StringComparison.Ordinal), (string)arguments[0]!)
                .Select(row => row[Kind == SetFunctionKind.JsonEachKeys ? 0 : 1]),
            SetFunctionKind.RegexpMatches => ExpressionEvaluator.RegexpMatches((string)arguments[0]!, (string)arguments[1]!, arguments.Length > 2 ? (string)arguments[2]! : null),
            _ => throw new InvalidOperationException($"unknown set-returning function kind {Kind}"),
        };
    }
}
