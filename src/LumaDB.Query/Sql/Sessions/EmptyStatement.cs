using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>The statement of an empty query string (PostgreSQL answers it with EmptyQueryResponse).</summary>
public sealed record EmptyStatement : Statement
{
    /// <summary>The one instance.</summary>
    public static EmptyStatement Instance { get; } = new();
}
