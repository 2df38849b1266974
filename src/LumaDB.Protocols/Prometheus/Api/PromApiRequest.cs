using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// A request's parameters as Go's <c>r.FormValue</c> sees them: a form body (POST,
/// <c>application/x-www-form-urlencoded</c>) first, then the URL query.
/// </summary>
internal sealed class PromApiRequest
{
    private readonly IFormCollection? _form;
    private readonly IQueryCollection _query;

    private PromApiRequest(IFormCollection? form, IQueryCollection query)
    {
        _form = form;
        _query = query;
    }

    public static async Task<PromApiRequest> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        IFormCollection? form = null;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            form = await request.ReadFormAsync(context.RequestAborted);
        }

        return new PromApiRequest(form, request.Query);
    }

    /// <summary>The first value of <paramref name="name"/>, or "" when absent (Go's FormValue).</summary>
    public string Get(string name)
    {
        if (_form is not null && _form.TryGetValue(name, out var fromBody) && fromBody.Count > 0)
        {
            return fromBody[0] ?? "";
        }

        return _query.TryGetValue(name, out var fromUrl) && fromUrl.Count > 0 ? fromUrl[0] ?? "" : "";
    }

    /// <summary>Every value of <paramref name="name"/>: body values, then URL values.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var result = new List<string>();
        if (_form is not null && _form.TryGetValue(name, out var fromBody))
        {
            Append(result, fromBody);
        }

        if (_query.TryGetValue(name, out var fromUrl))
        {
            Append(result, fromUrl);
        }

        return result;
    }

    private static void Append(List<string> into, StringValues values)
    {
        foreach (var v in values)
        {
            into.Add(v ?? "");
        }
    }
}
