namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>The body of every trace API error.</summary>
/// <param name="Error">What was wrong.</param>
public sealed record TraceApiError(string Error);
