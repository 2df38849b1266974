using LumaDB.Engine.Catalog;

namespace LumaDB.Engine.Telemetry;

/// <summary>The two telemetry tables as the catalog holds them.</summary>
/// <param name="Traces">otel_traces.</param>
/// <param name="Logs">otel_logs.</param>
public sealed record TelemetryTables(TableDefinition Traces, TableDefinition Logs);
