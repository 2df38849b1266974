using System.Net;
using System.Text;
using LumaDB.Server.Tests.Infrastructure;

namespace LumaDB.Server.Tests.Prometheus;

/// <summary>
/// A small metrics endpoint on 127.0.0.1 whose values change with every scrape: a counter, a gauge, and a series
/// that disappears after a few scrapes so that scrapers must write a staleness marker for it.
/// </summary>
public sealed class MetricsTarget : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _scrapes;

    public MetricsTarget(bool openMetrics = false, int vanishAfter = 3)
    {
        OpenMetrics = openMetrics;
        VanishAfter = vanishAfter;
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public bool OpenMetrics { get; }

    public int VanishAfter { get; }

    public int Scrapes => Volatile.Read(ref _scrapes);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _listener.Close();
    }

    /// <summary>The exposition of scrape number <paramref name="n"/> (1-based).</summary>
    public string Body(int n)
    {
        // OpenMetrics names a counter family without its _total suffix; the text format names it with it.
        var family = OpenMetrics ? "demo_requests" : "demo_requests_total";
        var text = new StringBuilder();
        text.Append($"# HELP {family} Requests handled.\n# TYPE {family} counter\n");
        text.Append("demo_requests_total{path=\"/a\"} ").Append(n * 10).Append('\n');
        text.Append("demo_requests_total{path=\"/b\"} ").Append(n * 3).Append('\n');
        text.Append("# HELP demo_temperature_celsius Temperature.\n# TYPE demo_temperature_celsius gauge\n");
        text.Append("demo_temperature_celsius ").Append((20 + (n * 0.25)).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        if (n <= VanishAfter)
        {
            text.Append("# TYPE demo_vanishing gauge\ndemo_vanishing ").Append(n).Append('\n');
        }

        if (OpenMetrics)
        {
            text.Append("# EOF\n");
        }

        return text.ToString();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            var n = Interlocked.Increment(ref _scrapes);
            var bytes = Encoding.UTF8.GetBytes(Body(n));
            context.Response.ContentType = OpenMetrics
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
