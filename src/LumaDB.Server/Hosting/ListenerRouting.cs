using LumaDB.Server.Configuration;
using Microsoft.AspNetCore.Routing.Matching;

namespace LumaDB.Server.Hosting;

/// <summary>Marks an endpoint as served only on one listener.</summary>
public sealed class ListenerMetadata(string listener)
{
    /// <summary>The listener's name (see <see cref="ListenerNames"/>).</summary>
    public string Listener { get; } = listener;
}

/// <summary>
/// Keeps each endpoint on its own listener: all listeners share one Kestrel server and route table, and this
/// policy drops candidates whose listener is not the one the request arrived on.
/// </summary>
public sealed class ListenerMatcherPolicy(ListenerPorts ports) : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <inheritdoc />
    public override int Order => 0;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<ListenerMetadata>() is not null);

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var listener = ports.NameOf(httpContext.Connection.LocalPort);
        for (var i = 0; i < candidates.Count; i++)
        {
            var required = candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>();
            if (required is not null && required.Listener != listener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>Which listener owns which local port (ports are unique across listeners by validation).</summary>
public sealed class ListenerPorts
{
    private readonly Dictionary<int, string> _byPort;

    /// <summary>Builds the map from the enabled listeners.</summary>
    public ListenerPorts(LumaOptions options) =>
        _byPort = options.Listeners.Where(l => l.Enabled).ToDictionary(l => l.Port, l => l.Name);

    /// <summary>The listener bound to a local port, or null.</summary>
    public string? NameOf(int localPort) => _byPort.GetValueOrDefault(localPort);
}

/// <summary>Endpoint conventions for listener routing.</summary>
public static class ListenerRoutingExtensions
{
    /// <summary>
    /// Answers any other method on a POST-only path of <paramref name="listener"/> with 405 and an <c>Allow: POST</c>
    /// header. Without it such a request falls through to the catch-all routes of other listeners, which the
    /// listener policy then drops, and the client gets a misleading 404.
    /// </summary>
    public static void MapPostOnly(this IEndpointRouteBuilder app, string pattern, string listener)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMethods(pattern, ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"], (RequestDelegate)(context =>
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
            context.Response.ContentType = "text/plain; charset=utf-8";
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync($"method {context.Request.Method} not allowed; {context.Request.Path} takes POST\n");
        })).RequireListener(listener);
    }

    /// <summary>Serves the endpoint only on the named listener.</summary>
    public static TBuilder RequireListener<TBuilder>(this TBuilder builder, string listener)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ListenerMetadata(listener));
        return builder;
    }
}
