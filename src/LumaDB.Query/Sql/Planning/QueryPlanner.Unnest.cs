using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary><c>unnest(array[, array...])</c> in FROM.</summary>
internal sealed partial class QueryPlanner
{
    private UnnestNode PlanUnnest(FunctionTableReference reference, FunctionCall call)
    {
        if (call.Arguments.Count == 0)
        {
            throw new SqlException(SqlState.UndefinedFunction, "function unnest() does not exist");
        }

        var saved = _frame;
        _frame = new Frame(_frame, [], _level!) { AggregateForbidden = "functions in FROM" };
        try
        {
            var arrays = call.Arguments.Select(a => _binder.Bind(a.Value)).ToArray();
            for (var i = 0; i < arrays.Length; i++)
            {
                if (arrays[i].Type.Kind == SqlTypeKind.Unknown)
                {
                    throw UnnestNotUnique(arrays);
                }

                if (!arrays[i].Type.IsArray)
                {
                    throw new SqlException(SqlState.UndefinedFunction, $"function unnest({string.Join(", ", arrays.Select(a => a.Type.DisplayName))}) does not exist");
                }
            }

            var alias = reference.Alias?.Name ?? "unnest";
            var names = reference.Alias?.Columns;
            var columns = arrays.Select((a, i) => new PlanColumn(
                alias,
                names is { Count: > 0 } ? (i < names.Count ? names[i] : "unnest") : arrays.Length == 1 ? alias : "unnest",
                a.Type.ElementType!)).ToList();
            if (reference.WithOrdinality)
            {
                columns.Add(new PlanColumn(alias, names is { Count: > 0 } && names.Count > arrays.Length ? names[arrays.Length] : "ordinality", SqlType.Int8));
            }

            return new UnnestNode(columns, arrays, reference.WithOrdinality);
        }
        finally
        {
            _frame = saved;
        }
    }
}
