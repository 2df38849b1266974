using Apache.Arrow;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// Runs queries that read no table: <c>SELECT exprs</c> without FROM (one row) and <c>VALUES (...), (...)</c>,
/// binding with PostgreSQL's rules and evaluating through the batch evaluator.
/// </summary>
public static class ConstantQueryExecutor
{
    /// <summary>Parses and runs <paramref name="sql"/>.</summary>
    public static QueryResult Execute(string sql, EvaluationContext? context = null)
    {
        if (SqlParser.ParseStatement(sql) is not SelectStatement select)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "only SELECT and VALUES are supported here");
        }

        return Execute(select.Query, context ?? new EvaluationContext());
    }

    /// <summary>Runs a parsed query.</summary>
    public static QueryResult Execute(QueryExpression query, EvaluationContext context)
    {
        if (!query.IsBareBody)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "WITH, ORDER BY, LIMIT and OFFSET are not supported here yet");
        }

        var evaluator = new ExpressionEvaluator(context);
        var binder = new SqlBinder();
        return query.Body switch
        {
            SelectBody body => ExecuteSelect(body, binder, evaluator),
            ValuesBody values => ExecuteValues(values, binder, evaluator),
            _ => throw new SqlException(SqlState.FeatureNotSupported, "set operations are not supported here yet"),
        };
    }

    private static QueryResult ExecuteSelect(SelectBody body, SqlBinder binder, ExpressionEvaluator evaluator)
    {
        if (body.From.Count > 0 || body.Where is not null || body.GroupBy.Count > 0 || body.Having is not null || body.Distinct)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "only SELECT without FROM is supported here yet");
        }

        var names = new List<string>();
        var columns = new List<ColumnVector>();
        foreach (var target in body.Targets)
        {
            var bound = binder.BindTopLevel(target.Expression);
            names.Add(target.Alias ?? ColumnName(target.Expression));
            columns.Add(evaluator.Evaluate(bound, [], 1));
        }

        return ToResult(names, columns, 1);
    }

    private static QueryResult ExecuteValues(ValuesBody values, SqlBinder binder, ExpressionEvaluator evaluator)
    {
        var width = values.Rows[0].Count;
        if (values.Rows.Any(r => r.Count != width))
        {
            throw new SqlException(SqlState.SyntaxError, "VALUES lists must all be the same length");
        }

        // Each column resolves one type over all rows, like a UNION of one-row selects.
        var bound = values.Rows.Select(r => r.Select(binder.Bind).ToArray()).ToArray();
        var names = new List<string>();
        var columns = new List<ColumnVector>();
        for (var c = 0; c < width; c++)
        {
            var column = c;
            var type = SqlTypeCoercion.ResolveCommonType(bound.Select(r => r[column].Type).ToArray(), "VALUES", out var error)
                ?? throw new SqlException(SqlState.DatatypeMismatch, error!);
            var cells = new object?[bound.Length];
            for (var r = 0; r < bound.Length; r++)
            {
                var expression = binder.Coerce(bound[r][c], type);
                cells[r] = evaluator.Evaluate(expression, [], 1).GetValue(0);
            }

            names.Add("column" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            columns.Add(ColumnVector.FromValues(type, cells));
        }

        return ToResult(names, columns, bound.Length);
    }

    private static QueryResult ToResult(List<string> names, List<ColumnVector> columns, int rows)
    {
        var schema = new Schema.Builder();
        var arrays = new List<IArrowArray>();
        for (var i = 0; i < columns.Count; i++)
        {
            var array = ArrowColumns.ToArrow(columns[i]);
            schema.Field(new Field(names[i], array.Data.DataType, nullable: true));
            arrays.Add(array);
        }

        return new QueryResult(new RecordBatch(schema.Build(), arrays, rows), names, columns.Select(c => c.Type).ToArray())
        {
            Columns = columns,
        };
    }

    /// <summary>A cast's output name: the type's own name, for an array its element's (<c>'{1}'::int[]</c> is <c>int4</c>).</summary>
    private static string CastName(TypeName type)
    {
        if (RegTypes.IsRegType(type))
        {
            return type.Name.Name;
        }

        var resolved = SqlType.FromTypeName(type);
        return resolved.IsArray ? resolved.ElementType!.Name : resolved.Name;
    }

    /// <summary>The output name PostgreSQL gives an unaliased target: the column or function name, the cast's type, else <c>?column?</c>.</summary>
    public static string ColumnName(Expression expression) => expression switch
    {
        ColumnReference c => c.Name,
        FunctionCall f => f.Name.Name,
        // A cast keeps a name its operand has on its own strength (a column, a call...), else takes its type's,
        // as PostgreSQL's FigureColname does: 1::int::text and (a + 1)::text are "text", a::text is "a".
        CastExpression c when c.Operand is not (StringLiteral or IntegerLiteral or NumericLiteral or CastExpression or TypedLiteral or CaseExpression)
            && ColumnName(c.Operand) is var inner && inner != "?column?" => inner,
        CastExpression c => CastName(c.Type),
        ArrayExpression or ArraySubqueryExpression => "array",
        ExistsExpression => "exists",

        // A scalar subquery is named for its one output column, as PostgreSQL names it.
        SubqueryExpression { Query.Body: SelectBody { Targets: [var target] } } => target.Alias ?? (target.Expression is StarExpression ? "?column?" : ColumnName(target.Expression)),
        SubscriptExpression s => ColumnName(s.Operand),
        TypedLiteral t => SqlType.FromTypeName(t.Type).Name,
        ExtractExpression => "extract",
        CaseExpression => "case",
        SqlValueFunction v => v.Kind switch
        {
            SqlValueFunctionKind.CurrentTimestamp => "current_timestamp",
            SqlValueFunctionKind.CurrentDate => "current_date",
            SqlValueFunctionKind.LocalTimestamp => "localtimestamp",
            _ => "?column?",
        },
        _ => "?column?",
    };
}
