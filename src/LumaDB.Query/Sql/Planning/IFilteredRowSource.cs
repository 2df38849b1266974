using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// A virtual table's row producer that can use simple predicates: equality, regex and IN on the columns in
/// <see cref="FilterableColumns"/>, and a range on <see cref="TimeColumn"/>.
/// </summary>
public interface IFilteredRowSource
{
    /// <summary>Text columns whose predicates the source can use.</summary>
    IReadOnlySet<string> FilterableColumns { get; }

    /// <summary>The timestamptz column whose bounds the source can use, or null.</summary>
    string? TimeColumn { get; }

    /// <summary>The EXPLAIN label of a scan (e.g. <c>Metric Scan on node_cpu_seconds_total</c>).</summary>
    string ScanLabel { get; }

    /// <summary>The rows that may pass <paramref name="filter"/>, in the table's column order.</summary>
    IEnumerable<ResultBatch> Rows(SystemTableContext context, SystemTableFilter filter);
}
