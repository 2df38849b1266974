using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Planning;

/// <summary>What a <see cref="SystemTable"/> row producer may read: the catalog as the query's transaction sees it and the session's settings.</summary>
/// <param name="Catalog">The catalog snapshot of the running statement.</param>
/// <param name="Settings">The session's settings (current user, search_path, ...).</param>
public sealed record SystemTableContext(CatalogSnapshot Catalog, SessionSettings Settings);
