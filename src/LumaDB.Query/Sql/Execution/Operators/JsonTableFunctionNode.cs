using System.Text.Json;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Json;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// json(b)_array_elements[_text], json(b)_each[_text] and json(b)_object_keys in FROM: one row per array
/// element or object member of the argument (evaluated once); a NULL argument gives no rows.
/// </summary>
internal sealed class JsonTableFunctionNode : PlanNode
{
    private readonly string _name;
    private readonly Shape _shape;
    private readonly BoundExpression _input;

    public JsonTableFunctionNode(IReadOnlyList<PlanColumn> columns, string name, Shape shape, BoundExpression input)
        : base(columns)
    {
        _name = name;
        _shape = shape;
        _input = input;
    }

    /// <summary>What rows the function produces.</summary>
    public enum Shape
    {
        /// <summary>One value per array element.</summary>
        Elements,

        /// <summary>One key/value pair per object member.</summary>
        Pairs,

        /// <summary>One key per object member.</summary>
        Keys,
    }

    public override string Label => "Function Scan on " + _name;

    public static bool IsJsonTableFunction(string name) => name is "json_array_elements" or "jsonb_array_elements" or "json_array_elements_text"
        or "jsonb_array_elements_text" or "json_each" or "jsonb_each" or "json_each_text" or "jsonb_each_text" or "json_object_keys" or "jsonb_object_keys";

    public static Shape ShapeOf(string name) =>
        name.Contains("_elements", StringComparison.Ordinal) ? Shape.Elements : name.Contains("_each", StringComparison.Ordinal) ? Shape.Pairs : Shape.Keys;

    protected override IEnumerable<ResultBatch> Execute(QueryRuntime runtime)
    {
        var one = new ResultBatch([], 1);
        return BatchOps.Evaluate(runtime, _input, one).GetValue(0) is string text
            ? BatchOps.InBatches(runtime, Columns, Rows(_name, _shape, Columns[^1].Type.Kind == SqlTypeKind.Text, text))
            : [];
    }

    /// <summary>
    /// The rows of function <paramref name="name"/> over document <paramref name="text"/>, lazily (the document
    /// stays parsed until the enumeration ends); <paramref name="textValues"/> for the _text forms.
    /// </summary>
    internal static IEnumerable<object?[]> Rows(string name, Shape shape, bool textValues, string text)
    {
        using var document = JsonValues.Parse(text);
        var root = document.RootElement;
        var prefix = name.StartsWith("jsonb", StringComparison.Ordinal) ? "jsonb" : "json";
        switch (shape)
        {
            case Shape.Elements:
                if (root.ValueKind != JsonValueKind.Array)
                {
                    throw new SqlException(SqlState.InvalidParameterValue, root.ValueKind == JsonValueKind.Object ? "cannot extract elements from an object" : "cannot extract elements from a scalar");
                }

                foreach (var item in root.EnumerateArray())
                {
                    yield return [textValues ? JsonValues.AsText(item) : item.GetRawText()];
                }

                break;
            case Shape.Pairs:
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SqlException(SqlState.InvalidParameterValue, $"cannot call {prefix}_each{(textValues ? "_text" : string.Empty)} on a non-object");
                }

                foreach (var member in root.EnumerateObject())
                {
                    yield return [member.Name, textValues ? JsonValues.AsText(member.Value) : member.Value.GetRawText()];
                }

                break;
            default:
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SqlException(SqlState.InvalidParameterValue, $"cannot call {prefix}_object_keys on {(root.ValueKind == JsonValueKind.Array ? "an array" : "a scalar")}");
                }

                foreach (var member in root.EnumerateObject())
                {
                    yield return [member.Name];
                }

                break;
        }
    }
}
