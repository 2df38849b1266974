using LumaDB.Query.PromQL.Syntax;
using Microsoft.AspNetCore.Http;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>format_query and parse_query: the parser's view of a query, without evaluating it.</summary>
internal sealed partial class PromApiHandlers
{
    public static Task FormatQueryAsync(HttpContext context) => RespondAsync(context, (request, _) =>
    {
        var pretty = PromQLFormatter.Prettify(ParseQuery(request.Get("query")));
        return json => PromApiWriter.WriteStringData(json, pretty);
    });

    public static Task ParseQueryAsync(HttpContext context) => RespondAsync(context, (request, _) =>
    {
        var expr = ParseQuery(request.Get("query"));
        return json =>
        {
            json.WriteStartObject();
            json.WriteString("status"u8, "success"u8);
            json.WritePropertyName("data"u8);
            PromAstWriter.Write(json, expr);
            json.WriteEndObject();
        };
    });
}
