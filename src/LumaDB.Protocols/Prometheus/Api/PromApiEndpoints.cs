using LumaDB.Engine.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>Maps the Prometheus HTTP API (<c>/api/v1/...</c>) onto a route builder.</summary>
public static class PromApiEndpoints
{
    /// <summary>
    /// Maps query, query_range, series, labels, label values, metadata, query_exemplars, status, format_query and
    /// parse_query, each for GET and form POST as Prometheus serves them. Returns the group for further conventions.
    /// </summary>
    public static RouteGroupBuilder MapPrometheusApi(this IEndpointRouteBuilder routes, IMetricSource source, PromApiOptions options, TimeProvider? time = null)
    {
        var api = new PromApiHandlers(source, options, time ?? TimeProvider.System);
        var group = routes.MapGroup("/api/v1");
        string[] getPost = [HttpMethods.Get, HttpMethods.Post];
        group.MapMethods("/query", getPost, api.QueryAsync);
        group.MapMethods("/query_range", getPost, api.QueryRangeAsync);
        group.MapMethods("/series", getPost, api.SeriesAsync);
        group.MapMethods("/labels", getPost, api.LabelsAsync);
        group.MapGet("/label/{name}/values", api.LabelValuesAsync);
        group.MapGet("/metadata", api.MetadataAsync);
        group.MapMethods("/query_exemplars", getPost, api.ExemplarsAsync);
        group.MapGet("/status/buildinfo", api.BuildInfoAsync);
        group.MapGet("/status/runtimeinfo", api.RuntimeInfoAsync);
        group.MapMethods("/format_query", getPost, PromApiHandlers.FormatQueryAsync);
        group.MapMethods("/parse_query", getPost, PromApiHandlers.ParseQueryAsync);
        return group;
    }
}
