using Apache.Arrow;
using Apache.Arrow.Types;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Execution;

public class BatchEvaluationTests
{
    private static readonly ColumnList Scope = new([("a", SqlType.Int4), ("b", SqlType.Int8), ("x", SqlType.Float8), ("s", SqlType.Text), ("ts", SqlType.TimestampTz)]);

    private static RecordBatch Batch()
    {
        var a = new Int32Array.Builder().Append(1).AppendNull().Append(3).Append(0).Build();
        var b = new Int64Array.Builder().Append(10).Append(20).AppendNull().Append(40).Build();
        var x = new DoubleArray.Builder().Append(0.5).Append(double.NaN).Append(-1).AppendNull().Build();
        var s = new StringArray.Builder().Append("apple").Append("Banana").AppendNull().Append("cherry").Build();
        var ts = ArrowColumns.ToArrow(ColumnVector.FromValues(SqlType.TimestampTz, [0L, 86_400_000_000L, null, 1_700_000_000_000_000L]));
        var schema = new Schema.Builder()
            .Field(new Field("a", Int32Type.Default, true))
            .Field(new Field("b", Int64Type.Default, true))
            .Field(new Field("x", DoubleType.Default, true))
            .Field(new Field("s", StringType.Default, true))
            .Field(new Field("ts", ts.Data.DataType, true))
            .Build();
        return new RecordBatch(schema, [a, b, x, s, ts], 4);
    }

    private static List<string?> Eval(string sql)
    {
        var bound = new SqlBinder(Scope).BindTopLevel(SqlParser.ParseExpression(sql));
        var array = new ExpressionEvaluator(new EvaluationContext(new FixedClock(SqlRun.Now))).Evaluate(bound, Batch());
        Assert.Equal(4, array.Length);
        var column = ArrowColumns.FromArrow(array, bound.Type);
        return Enumerable.Range(0, 4).Select(i => column.GetValue(i) is { } v ? SqlText.Format(v, bound.Type) : null).ToList();
    }

    [Fact]
    public void Arithmetic_propagates_nulls_per_row() =>
        Assert.Equal<string?>(["11", null, null, "40"], Eval("a + b"));

    [Fact]
    public void Comparisons_give_three_valued_results() =>
        Assert.Equal<string?>(["f", null, null, "f"], Eval("a > b"));

    [Fact]
    public void Float_comparison_orders_nan_last() =>
        Assert.Equal<string?>(["f", "t", "f", null], Eval("x > 1"));

    [Fact]
    public void Division_by_zero_is_raised_at_execution_only_for_non_null_rows()
    {
        var e = Assert.Throws<SqlException>(() => Eval("b / a"));
        Assert.Equal(SqlState.DivisionByZero, e.SqlState);
        Assert.Equal<string?>(["10", null, null, null], Eval("b / nullif(a, 0)"));
    }

    [Fact]
    public void Case_evaluates_branches_only_on_their_rows() =>
        Assert.Equal<string?>(["10", null, null, "0"], Eval("CASE WHEN a = 0 THEN 0 ELSE b / a END"));

    [Fact]
    public void Coalesce_fills_nulls_from_later_arguments() =>
        Assert.Equal<string?>(["1", "20", "3", "0"], Eval("coalesce(a, b, -1)"));

    [Fact]
    public void Text_functions_run_over_a_column() =>
        Assert.Equal<string?>(["APPLE!", "BANANA!", null, "CHERRY!"], Eval("upper(s) || '!'"));

    [Fact]
    public void Like_and_in_run_over_a_column()
    {
        Assert.Equal<string?>(["t", "f", null, "f"], Eval("s LIKE 'a%'"));
        Assert.Equal<string?>(["t", "t", null, "f"], Eval("lower(s) IN ('apple', 'banana')"));
    }

    [Fact]
    public void Timestamps_read_from_arrow_and_add_intervals() =>
        Assert.Equal<string?>(["1970-01-02 00:00:00+00", "1970-01-03 00:00:00+00", null, "2023-11-15 22:13:20+00"], Eval("ts + interval '1 day'"));

    [Fact]
    public void Is_null_and_is_distinct_never_return_null()
    {
        Assert.Equal<string?>(["f", "t", "f", "f"], Eval("a IS NULL"));
        Assert.Equal<string?>(["t", "t", "t", "t"], Eval("a IS DISTINCT FROM b"));
    }

    [Fact]
    public void Large_batches_take_the_vector_path()
    {
        const int n = 1000;
        var left = new DoubleArray.Builder();
        var right = new DoubleArray.Builder();
        for (var i = 0; i < n; i++)
        {
            left.Append(i);
            right.Append(i * 0.5);
        }

        var schema = new Schema.Builder().Field(new Field("l", DoubleType.Default, true)).Field(new Field("r", DoubleType.Default, true)).Build();
        var batch = new RecordBatch(schema, [left.Build(), right.Build()], n);
        var scope = new ColumnList([("l", SqlType.Float8), ("r", SqlType.Float8)]);
        var bound = new SqlBinder(scope).BindTopLevel(SqlParser.ParseExpression("l + r"));
        var result = (DoubleArray)new ExpressionEvaluator(new EvaluationContext()).Evaluate(bound, batch);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(i * 1.5, result.GetValue(i));
        }
    }

    [Fact]
    public void Numeric_columns_round_trip_through_decimal128()
    {
        var column = ColumnVector.FromValues(SqlType.Numeric, [1.5m, -0.25m, null, 123456789.123m]);
        var array = ArrowColumns.ToArrow(column);
        var back = ArrowColumns.FromArrow(array, SqlType.Numeric);
        Assert.Equal(1.5m, (decimal)back.GetValue(0)!);
        Assert.Equal(-0.25m, (decimal)back.GetValue(1)!);
        Assert.Null(back.GetValue(2));
        Assert.Equal(123456789.123m, (decimal)back.GetValue(3)!);
    }

    [Fact]
    public void A_parameter_typed_by_a_later_use_evaluates_everywhere()
    {
        var binder = new SqlBinder(Scope);
        var bound = binder.BindTopLevel(SqlParser.ParseExpression("$1 IS NULL OR a = $1"));
        var array = (BooleanArray)new ExpressionEvaluator(new EvaluationContext(parameters: [3])).Evaluate(bound, Batch());
        Assert.Equal([false, null, true, false], array.ToArray());
    }

    [Fact]
    public void Parameters_come_from_the_context()
    {
        var binder = new SqlBinder(Scope);
        var bound = binder.BindTopLevel(SqlParser.ParseExpression("a + $1"));
        Assert.Equal(SqlType.Int4, binder.ParameterTypes[0]);
        var array = new ExpressionEvaluator(new EvaluationContext(parameters: [100])).Evaluate(bound, Batch());
        Assert.Equal([101, null, 103, 100], ((Int32Array)array).ToArray());
    }
}
