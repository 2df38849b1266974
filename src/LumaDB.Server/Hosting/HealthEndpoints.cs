using System.Text.Json.Serialization;
using LumaDB.Engine.Hosting;

namespace LumaDB.Server.Hosting;

/// <summary>The body of /health and /ready.</summary>
public sealed record HealthResponse(string Status);

/// <summary>Source-generated JSON for the server's own small responses (no reflection under NativeAOT).</summary>
[JsonSerializable(typeof(HealthResponse))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class ServerJsonContext : JsonSerializerContext;

/// <summary>Liveness and readiness on the HTTP listener.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps /health (the process is up) and /ready (storage has recovered).</summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Json(new HealthResponse("ok"), ServerJsonContext.Default.HealthResponse))
            .RequireListener(Configuration.ListenerNames.Http);
        app.MapGet("/ready", (Database database) => database.IsReady
                ? TypedResults.Json(new HealthResponse("ready"), ServerJsonContext.Default.HealthResponse)
                : TypedResults.Json(new HealthResponse(database.State.ToString().ToLowerInvariant()), ServerJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable))
            .RequireListener(Configuration.ListenerNames.Http);
    }
}
