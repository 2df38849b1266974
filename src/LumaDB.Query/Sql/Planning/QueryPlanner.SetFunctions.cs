using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// Set-returning functions in a select list (generate_series, unnest, regexp_matches, jsonb_array_elements...),
/// run by ProjectSet nodes after grouping and window functions and before DISTINCT, ORDER BY and LIMIT, and the
/// ones FROM reaches only through them (regexp_matches, regexp_split_to_table, string_to_table).
/// </summary>
internal sealed partial class QueryPlanner
{
    private const string LateralHint = "You might be able to move the set-returning function into a LATERAL FROM item.";

    private static bool IsSetReturning(FunctionCall call) =>
        call.Name.Schema is null or "pg_catalog" && call.Name.Name is "generate_series" or "unnest" or "regexp_matches" or "regexp_split_to_table"
            or "string_to_table" or "json_array_elements" or "jsonb_array_elements" or "json_array_elements_text" or "jsonb_array_elements_text"
            or "json_object_keys" or "jsonb_object_keys" or "json_each" or "jsonb_each" or "json_each_text" or "jsonb_each_text"
            or "pg_partition_ancestors";

    /// <summary>A set-returning call met while binding: a placeholder column for its rows where the frame allows one.</summary>
    private BoundColumn BindSetFunction(FunctionCall call)
    {
        var frame = _frame!;
        if (frame.SetFunctions is not { } scope)
        {
            // Inside an aggregate or window call PostgreSQL names the call and points to LATERAL; elsewhere the clause.
            throw frame.SetFunctionsCall is { } inside
                ? new SqlException(SqlState.FeatureNotSupported, $"{inside} cannot contain set-returning function calls", LateralHint)
                : new SqlException(SqlState.FeatureNotSupported, $"set-returning functions are not allowed in {frame.SetFunctionsClause ?? frame.AggregateForbidden ?? "this context"}");
        }

        var bound = BindSetFunctionCall(call);

        // A call over another call's rows runs in the ProjectSet after that one's.
        var level = 0;
        foreach (var argument in bound.Arguments)
        {
            BoundTree.MapColumns(argument, c =>
            {
                if (SetFunctionScope.IsPlaceholder(c.Ordinal))
                {
                    level = Math.Max(level, scope.Calls[c.Ordinal - SetFunctionScope.Base].Level + 1);
                }

                return c;
            });
        }

        scope.Calls.Add(bound with { Level = level });
        return new BoundColumn(SetFunctionScope.Base + scope.Calls.Count - 1, bound.Name, bound.Type);
    }

    /// <summary>Binds the arguments of a set-returning call and works out its row type.</summary>
    private SetFunctionCall BindSetFunctionCall(FunctionCall call)
    {
        var name = call.Name.Name;
        switch (name)
        {
            case "generate_series":
                return BindGenerateSeries(call);
            case "unnest":
                {
                    var args = call.Arguments.Select(a => _binder.Bind(a.Value)).ToArray();
                    if (args.Length == 1 && args[0].Type.Kind == SqlTypeKind.Unknown)
                    {
                        throw UnnestNotUnique(args);
                    }

                    if (args.Length != 1 || !args[0].Type.IsArray)
                    {
                        throw NoSuchFunction(name, args);
                    }

                    return new SetFunctionCall(name, SetFunctionKind.Unnest, args, args[0].Type.ElementType!);
                }

            case "regexp_split_to_table" or "string_to_table":
                {
                    // The rows of the array form, element by element.
                    var array = BindAs(call, name == "string_to_table" ? "string_to_array" : "regexp_split_to_array");
                    return new SetFunctionCall(name, SetFunctionKind.Unnest, [array], SqlType.Text);
                }

            case "regexp_matches":
                {
                    // regexp_like takes the same (text, text[, text]) arguments: its binding checks and coerces them.
                    var like = (BoundFunction)BindAs(call, "regexp_like");
                    return new SetFunctionCall(name, SetFunctionKind.RegexpMatches, [.. like.Arguments], SqlType.ArrayOf(SqlType.Text));
                }

            case "pg_partition_ancestors":
                {
                    // No table is partitioned here, so a relation's only ancestor is itself (psql's \d asks).
                    if (call.Arguments.Count != 1)
                    {
                        throw NoSuchFunction(name, [.. call.Arguments.Select(a => _binder.Bind(a.Value))]);
                    }

                    var relation = new CastExpression(call.Arguments[0].Value, Parser.SqlParser.ParseTypeName("regclass"), IsOperatorSyntax: true);
                    var itself = new CastExpression(relation, Parser.SqlParser.ParseTypeName("oid"), IsOperatorSyntax: true);
                    var array = _binder.Bind(new ArrayExpression(SyntaxList.Create<Expression>([itself])));
                    return new SetFunctionCall(name, SetFunctionKind.Unnest, [array], array.Type.ElementType!);
                }

            case "json_each" or "jsonb_each" or "json_each_text" or "jsonb_each_text":
                throw new SqlException(SqlState.FeatureNotSupported, $"{name} in a select list is not supported (its rows are records); call it in FROM");
            default:
                {
                    var document = BindJsonDocument(call);
                    var keys = name.EndsWith("_object_keys", StringComparison.Ordinal);
                    var type = keys || name.EndsWith("_text", StringComparison.Ordinal) ? SqlType.Text : document.Type;
                    return new SetFunctionCall(name, keys ? SetFunctionKind.JsonKeys : SetFunctionKind.JsonElements, [document], type);
                }
        }
    }

    /// <summary>The one json (json_...) or jsonb (jsonb_...) argument of a json set-returning function.</summary>
    private BoundExpression BindJsonDocument(FunctionCall call)
    {
        var args = call.Arguments.Select(a => _binder.Bind(a.Value)).ToArray();
        var inputType = call.Name.Name.StartsWith("jsonb_", StringComparison.Ordinal) ? SqlType.Jsonb : SqlType.Json;
        return args.Length != 1 || (args[0].Type.Kind != SqlTypeKind.Unknown && args[0].Type.Kind != inputType.Kind)
            ? throw NoSuchFunction(call.Name.Name, args)
            : _binder.Coerce(args[0], inputType);
    }

    /// <summary>generate_series: start and stop of one type (integers widen, floats go numeric, dates timestamptz), an interval step for timestamps.</summary>
    private SetFunctionCall BindGenerateSeries(FunctionCall call)
    {
        var args = call.Arguments.Select(a => _binder.Bind(a.Value)).ToArray();
        if (args.Length is < 2 or > 3)
        {
            throw NoSuchFunction("generate_series", args);
        }

        var type = SqlBinder.ResolveCommon(args.Take(2).ToArray(), "generate_series");
        type = type.Kind switch
        {
            SqlTypeKind.Unknown or SqlTypeKind.Int2 => SqlType.Int4,
            SqlTypeKind.Int4 or SqlTypeKind.Int8 or SqlTypeKind.Numeric or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => type,
            SqlTypeKind.Date => SqlType.TimestampTz,
            SqlTypeKind.Float4 or SqlTypeKind.Float8 => SqlType.Numeric,
            _ => throw NoSuchFunction("generate_series", args),
        };
        BoundExpression[] bound = [_binder.Coerce(args[0], type), _binder.Coerce(args[1], type)];
        if (args.Length == 3)
        {
            bound = [.. bound, _binder.Coerce(args[2], type.Kind is SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz ? SqlType.Interval : type)];
        }

        return new SetFunctionCall("generate_series", SetFunctionKind.GenerateSeries, bound, type);
    }

    /// <summary>Binds <paramref name="call"/> as the scalar function <paramref name="scalar"/>; errors name the function called.</summary>
    private BoundExpression BindAs(FunctionCall call, string scalar)
    {
        try
        {
            return _binder.Bind(call with { Name = new QualifiedName(new SyntaxList<string>([.. call.Name.Parts.Take(call.Name.Parts.Count - 1), scalar])) });
        }
        catch (SqlException e) when (e.SqlState == SqlState.UndefinedFunction)
        {
            throw new SqlException(e.SqlState, e.Message.Replace(scalar + "(", call.Name.Name + "(", StringComparison.Ordinal), e.Hint);
        }
    }

    /// <summary>PostgreSQL has unnest over arrays and over tsvector: an unknown literal could be either.</summary>
    private static SqlException UnnestNotUnique(IEnumerable<BoundExpression> args) => new(
        SqlState.AmbiguousFunction,
        $"function unnest({string.Join(", ", args.Select(a => a.Type.DisplayName))}) is not unique",
        "Could not choose a best candidate function. You might need to add explicit type casts.");

    private static SqlException NoSuchFunction(string name, IEnumerable<BoundExpression> args) => new(
        SqlState.UndefinedFunction,
        $"function {name}({string.Join(", ", args.Select(a => a.Type.DisplayName))}) does not exist",
        "No function matches the given name and argument types. You might need to add explicit type casts.");

    /// <summary>
    /// Puts the ProjectSet nodes for <paramref name="scope"/>'s calls on <paramref name="node"/>, one per nesting
    /// level, and returns how to map the calls' placeholders to the columns that now hold their rows.
    /// </summary>
    private static PlanNode AddProjectSets(PlanNode node, SetFunctionScope scope, out Func<BoundExpression, BoundExpression> remap)
    {
        var width = node.Columns.Count;
        var order = Enumerable.Range(0, scope.Calls.Count).OrderBy(i => scope.Calls[i].Level).ThenBy(i => i).ToArray();
        var ordinals = new int[order.Length];
        for (var j = 0; j < order.Length; j++)
        {
            ordinals[order[j]] = width + j;
        }

        BoundExpression Remap(BoundExpression e) =>
            BoundTree.MapColumns(e, c => SetFunctionScope.IsPlaceholder(c.Ordinal) ? c with { Ordinal = ordinals[c.Ordinal - SetFunctionScope.Base] } : c);
        foreach (var level in order.GroupBy(i => scope.Calls[i].Level).OrderBy(g => g.Key))
        {
            var calls = level.Select(i => scope.Calls[i] with { Arguments = [.. scope.Calls[i].Arguments.Select(Remap)] }).ToArray();
            var columns = node.Columns.Concat(calls.Select(c => new PlanColumn(null, c.Name, c.Type))).ToArray();
            node = new ProjectSetNode(node, columns, calls);
        }

        remap = Remap;
        return node;
    }

    /// <summary>regexp_matches, regexp_split_to_table, string_to_table and pg_partition_ancestors in FROM.</summary>
    private SetFunctionScanNode PlanSetFunctionTable(FunctionTableReference reference, FunctionCall call)
    {
        var saved = _frame;
        _frame = new Frame(_frame, [], _level!) { AggregateForbidden = "functions in FROM" };
        try
        {
            var bound = BindSetFunctionCall(call);
            var alias = reference.Alias?.Name ?? bound.Name;
            var names = reference.Alias?.Columns;
            List<PlanColumn> columns = [new PlanColumn(alias, names is { Count: > 0 } ? names[0] : alias, bound.Type)];
            if (reference.WithOrdinality)
            {
                columns.Add(new PlanColumn(alias, names is { Count: > 1 } ? names[1] : "ordinality", SqlType.Int8));
            }

            return new SetFunctionScanNode(columns, bound, reference.WithOrdinality);
        }
        finally
        {
            _frame = saved;
        }
    }
}
