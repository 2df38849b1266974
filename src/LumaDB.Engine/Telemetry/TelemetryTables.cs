using LumaDB.Engine.Catalog;

namespace LumaDB.Engine.Telemetry;

/// <summary>The two telemetry tables as the catalog holds them.</summary>
/// <param name="Traces">otel_traces.</param>
/// <param name="Logs">otel_logs.</param>
public sealed record TelemetryTables(TableDefinition Traces, TableDefinition Logs)
{
    /// <summary>Whether <paramref name="table"/> is one of the two, which OTLP ingestion writes directly rather than through SQL.</summary>
    public static bool IsTelemetryTable(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Schema == CatalogSnapshot.PublicSchema && table.Name is OtelTracesTable.Name or OtelLogsTable.Name;
    }
}
