namespace LumaDB.Protocols.Otlp;

/// <summary>The outcome of one accepted export request.</summary>
/// <param name="Accepted">Items stored.</param>
/// <param name="Rejected">Items refused on their own (the partial success count); 0 for full success.</param>
/// <param name="ErrorMessage">Why items were refused, or null.</param>
public readonly record struct OtlpExportResult(long Accepted, long Rejected, string? ErrorMessage);
