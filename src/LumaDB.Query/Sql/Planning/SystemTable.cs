using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Planning;

/// <summary>A read-only virtual table: its columns and a producer of its rows, asked anew for every scan.</summary>
/// <param name="Schema">Schema name, e.g. <c>pg_catalog</c>.</param>
/// <param name="Name">Table name.</param>
/// <param name="Columns">Output columns (names and SQL types); batches carry one column per entry, in this order.</param>
/// <param name="Rows">Produces the rows for one scan, given the catalog and session the query runs in.</param>
public sealed record SystemTable(
    string Schema,
    string Name,
    IReadOnlyList<ResultColumn> Columns,
    Func<SystemTableContext, IEnumerable<ResultBatch>> Rows);
