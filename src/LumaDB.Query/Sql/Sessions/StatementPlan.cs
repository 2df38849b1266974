namespace LumaDB.Query.Sql.Sessions;

/// <summary>A planned statement, valid while the catalog has <see cref="CatalogVersion"/>.</summary>
internal abstract class StatementPlan(ulong catalogVersion)
{
    public ulong CatalogVersion { get; } = catalogVersion;

    public abstract ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters);
}
