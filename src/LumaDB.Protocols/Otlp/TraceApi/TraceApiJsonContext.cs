using System.Text.Json.Serialization;

namespace LumaDB.Protocols.Otlp.TraceApi;

/// <summary>Source-generated JSON for the trace API (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TraceResponse))]
[JsonSerializable(typeof(TraceSearchResponse))]
[JsonSerializable(typeof(TraceApiError))]
public sealed partial class TraceApiJsonContext : JsonSerializerContext;
