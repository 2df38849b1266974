using LumaDB.Query.PromQL.Parser;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL;

public sealed class PromQLTreeTests
{
    [Fact]
    public void Walk_visits_parents_before_children_in_source_order()
    {
        var e = PromQLParser.Parse("sum(rate(a[5m])) + b");
        Assert.Equal(
            ["BinaryExpr", "AggregateExpr", "Call", "MatrixSelector", "VectorSelector", "VectorSelector"],
            PromQLTree.Walk(e).Select(n => n.GetType().Name));
    }

    [Fact]
    public void Pinning_timestamps_leaves_explicit_at_modifiers_alone()
    {
        var e = PromQLParser.Parse("a + max_over_time(rate(b[5m] @ 10)[30m:1m]) + c @ start()");
        Assert.Equal(2, PromQLTree.PinUnsetTimestamps(e, 60_000));
        Assert.Equal("a @ 60.000 + max_over_time(rate(b[5m] @ 10.000)[30m:1m] @ 60.000) + c @ start()", PromQLFormatter.Format(e));
    }

    [Fact]
    public void Calls_finds_a_function_anywhere_in_the_tree()
    {
        var e = PromQLParser.Parse("sum(foo) / vector(time() - 1)");
        Assert.True(PromQLTree.Calls(e, "time"));
        Assert.False(PromQLTree.Calls(e, "timestamp"));
    }
}
