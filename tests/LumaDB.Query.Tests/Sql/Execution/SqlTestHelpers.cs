using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>A clock fixed at one instant, so now() is predictable.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

internal static class SqlRun
{
    public static readonly DateTimeOffset Now = new(2024, 3, 15, 12, 30, 45, TimeSpan.Zero);

    public static QueryResult Query(string sql) =>
        ConstantQueryExecutor.Execute(sql, new EvaluationContext(new FixedClock(Now)));

    /// <summary>The single value of a one-column, one-row query, in PostgreSQL text form.</summary>
    public static string? Scalar(string sql) => Query(sql).TextRow(0)[0];

    public static SqlException Error(string sql) => Assert.Throws<SqlException>(() => Query(sql));
}
