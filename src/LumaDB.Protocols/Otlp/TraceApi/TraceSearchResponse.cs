namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>The traces a search found, most recent first.</summary>
public sealed class TraceSearchResponse
{
    /// <summary>The traces.</summary>
    public required IReadOnlyList<TraceSummary> Traces { get; init; }
}
