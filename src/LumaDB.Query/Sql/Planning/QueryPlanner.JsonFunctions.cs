using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>The json/jsonb set-returning functions in FROM (jsonb_array_elements, jsonb_each, jsonb_object_keys...).</summary>
internal sealed partial class QueryPlanner
{
    private JsonTableFunctionNode PlanJsonFunctionTable(FunctionTableReference reference, FunctionCall call)
    {
        var name = call.Name.Name;
        var saved = _frame;
        _frame = new Frame(_frame, [], _level!) { AggregateForbidden = "functions in FROM" };
        try
        {
            var args = call.Arguments.Select(a => _binder.Bind(a.Value)).ToArray();
            var inputType = name.StartsWith("jsonb_", StringComparison.Ordinal) ? SqlType.Jsonb : SqlType.Json;
            if (args.Length != 1 || args[0].Type.Kind is not (SqlTypeKind.Unknown or SqlTypeKind.Json or SqlTypeKind.Jsonb)
                || (args[0].Type.Kind != SqlTypeKind.Unknown && args[0].Type.Kind != inputType.Kind))
            {
                throw new SqlException(
                    SqlState.UndefinedFunction,
                    $"function {name}({string.Join(", ", args.Select(a => a.Type.DisplayName))}) does not exist",
                    "No function matches the given name and argument types. You might need to add explicit type casts.");
            }

            var input = _binder.Coerce(args[0], inputType);
            var alias = reference.Alias?.Name ?? name;
            var names = reference.Alias?.Columns ?? [];
            var text = name.EndsWith("_text", StringComparison.Ordinal);
            var valueType = text ? SqlType.Text : inputType;
            var shape = JsonTableFunctionNode.ShapeOf(name);
            PlanColumn[] columns = shape switch
            {
                JsonTableFunctionNode.Shape.Keys => [new PlanColumn(alias, names.Count > 0 ? names[0] : alias, SqlType.Text)],
                JsonTableFunctionNode.Shape.Elements => [new PlanColumn(alias, names.Count > 0 ? names[0] : "value", valueType, AliasNamesValue: names.Count == 0)],
                _ => [new PlanColumn(alias, names.Count > 0 ? names[0] : "key", SqlType.Text), new PlanColumn(alias, names.Count > 1 ? names[1] : "value", valueType)],
            };
            return new JsonTableFunctionNode(columns, name, shape, input);
        }
        finally
        {
            _frame = saved;
        }
    }
}
