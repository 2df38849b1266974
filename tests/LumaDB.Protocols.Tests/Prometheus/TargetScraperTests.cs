using System.Net;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using LumaDB.Protocols.Prometheus.Scrape;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LumaDB.Protocols.Tests.Prometheus;

/// <summary>A real HTTP target on 127.0.0.1 whose answer each test sets.</summary>
public sealed class ScrapeTargetFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string Body { get; set; } = "";

    public string ContentType { get; set; } = "text/plain; version=0.0.4";

    public int Status { get; set; } = 200;

    public TimeSpan Delay { get; set; }

    public string? LastAuthorization { get; private set; }

    /// <summary>Sets the next answer: body, content type, status and delay.</summary>
    public void Serve(string body, string contentType = "text/plain", int status = 200, TimeSpan delay = default)
    {
        Body = body;
        ContentType = contentType;
        Status = status;
        Delay = delay;
    }

    public string? LastAccept { get; private set; }

    public string Target { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/metrics", async (HttpContext context) =>
        {
            LastAuthorization = context.Request.Headers.Authorization;
            LastAccept = context.Request.Headers.Accept;
            await Task.Delay(Delay);
            context.Response.StatusCode = Status;
            context.Response.ContentType = ContentType;
            await context.Response.WriteAsync(Body);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Target = new Uri(address).Authority;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition("scrape target", DisableParallelization = true)]
public sealed class ScrapeTargetCollection : ICollectionFixture<ScrapeTargetFixture>;

[Collection("scrape target")]
public sealed class TargetScraperTests(ScrapeTargetFixture target)
{
    private sealed class RecordingAppender : IScrapeAppender
    {
        private readonly List<(string Series, long Ts, double Value)> _pending = [];

        public List<(string Series, long Ts, double Value)> Committed { get; } = [];

        public List<string> MetadataSeen { get; } = [];

        public void Append(IReadOnlyList<KeyValuePair<string, string>> labels, long timestampMs, double value) =>
            _pending.Add(("{" + string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")) + "}", timestampMs, value));

        public void Metadata(string family, MetricType type, string help, string unit) => MetadataSeen.Add($"{family} {type} {help}");

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            Committed.AddRange(_pending);
            _pending.Clear();
            return ValueTask.CompletedTask;
        }

        public double ValueOf(string series) => Committed.Last(c => c.Series == series).Value;

        public void Clear() => Committed.Clear();
    }

    private static readonly HttpClient Http = new();

    private TargetScraper Scraper(RecordingAppender appender, Func<ScrapeJob, ScrapeJob>? change = null)
    {
        var job = new ScrapeJob { JobName = "node", Targets = [target.Target], Timeout = TimeSpan.FromSeconds(2) };
        return new TargetScraper(change?.Invoke(job) ?? job, target.Target, Http, appender, TimeProvider.System, NullLogger.Instance);
    }

    private string Up => $"{{__name__=up,instance={target.Target},job=node}}";

    [Fact]
    public async Task A_text_target_is_scraped_with_job_instance_and_synthetic_series()
    {
        target.Serve("# HELP temp Temperature.\n# TYPE temp gauge\ntemp{room=\"a\"} 21.5\ntemp{room=\"b\"} 19\n", "text/plain; version=0.0.4");
        var appender = new RecordingAppender();
        var scraper = Scraper(appender);

        var first = await scraper.ScrapeOnceAsync(CancellationToken.None);
        var second = await scraper.ScrapeOnceAsync(CancellationToken.None);

        Assert.True(first.Up);
        Assert.Equal(2, first.SamplesScraped);
        Assert.Equal(2, first.SeriesAdded);
        Assert.Equal(0, second.SeriesAdded);
        Assert.Equal(21.5, appender.ValueOf($"{{__name__=temp,instance={target.Target},job=node,room=a}}"));
        Assert.Equal(1, appender.ValueOf(Up));
        Assert.Equal(2, appender.ValueOf($"{{__name__=scrape_samples_scraped,instance={target.Target},job=node}}"));
        Assert.Equal(0, appender.ValueOf($"{{__name__=scrape_series_added,instance={target.Target},job=node}}"));
        Assert.Contains(appender.Committed, c => c.Series.StartsWith("{__name__=scrape_duration_seconds,", StringComparison.Ordinal));
        Assert.Contains("temp Gauge Temperature.", appender.MetadataSeen);
        Assert.StartsWith("application/openmetrics-text", target.LastAccept, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_openmetrics_target_uses_its_own_timestamps_in_seconds()
    {
        target.Serve("# TYPE jobs counter\njobs_total 7 1700000000.5\n# EOF\n", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        var appender = new RecordingAppender();

        var result = await Scraper(appender).ScrapeOnceAsync(CancellationToken.None);

        Assert.True(result.Up, result.Error);
        Assert.Contains(appender.Committed, c => c.Series == $"{{__name__=jobs_total,instance={target.Target},job=node}}" && c.Ts == 1_700_000_000_500 && c.Value == 7);
    }

    [Fact]
    public async Task A_series_that_disappears_gets_a_staleness_marker()
    {
        target.Serve("a 1\nb 2\n");
        var appender = new RecordingAppender();
        var scraper = Scraper(appender);
        await scraper.ScrapeOnceAsync(CancellationToken.None);

        target.Body = "a 1\n";
        var result = await scraper.ScrapeOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.StaleMarkers);
        var marker = appender.Committed.Last(c => c.Series == $"{{__name__=b,instance={target.Target},job=node}}");
        Assert.Equal(0x7ff0000000000002UL, BitConverter.DoubleToUInt64Bits(marker.Value));
    }

    [Fact]
    public async Task Garbage_sets_up_to_zero_stores_nothing_from_the_scrape_and_marks_old_series_stale()
    {
        target.Serve("good 1\n");
        var appender = new RecordingAppender();
        var scraper = Scraper(appender);
        await scraper.ScrapeOnceAsync(CancellationToken.None);
        appender.Clear();

        target.Body = "good 1\nthis is {not metrics\n";
        var result = await scraper.ScrapeOnceAsync(CancellationToken.None);

        Assert.False(result.Up);
        Assert.StartsWith("parse error: line 2:", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, appender.ValueOf(Up));
        Assert.True(double.IsNaN(appender.ValueOf($"{{__name__=good,instance={target.Target},job=node}}")));
        Assert.DoesNotContain(appender.Committed, c => c.Series.Contains("__name__=good", StringComparison.Ordinal) && !double.IsNaN(c.Value));
    }

    [Fact]
    public async Task A_slow_target_times_out_and_is_down()
    {
        target.Serve("a 1\n", delay: TimeSpan.FromSeconds(1));
        var appender = new RecordingAppender();

        var result = await Scraper(appender, j => new ScrapeJob { JobName = j.JobName, Targets = j.Targets, Timeout = TimeSpan.FromMilliseconds(200) }).ScrapeOnceAsync(CancellationToken.None);
        target.Delay = TimeSpan.Zero;

        Assert.False(result.Up);
        Assert.Contains("timed out", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, appender.ValueOf(Up));
    }

    [Fact]
    public async Task An_error_status_is_down_with_the_status_in_the_reason()
    {
        target.Serve("oops", status: (int)HttpStatusCode.InternalServerError);
        var appender = new RecordingAppender();

        var result = await Scraper(appender).ScrapeOnceAsync(CancellationToken.None);
        target.Serve("");

        Assert.False(result.Up);
        Assert.Contains("500", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scraped_job_and_instance_become_exported_labels_unless_honored()
    {
        target.Serve("m{job=\"inner\",instance=\"x\"} 1\n");
        var plain = new RecordingAppender();
        var honoring = new RecordingAppender();

        await Scraper(plain).ScrapeOnceAsync(CancellationToken.None);
        await Scraper(honoring, j => new ScrapeJob { JobName = j.JobName, Targets = j.Targets, HonorLabels = true }).ScrapeOnceAsync(CancellationToken.None);

        Assert.Contains(plain.Committed, c => c.Series == $"{{__name__=m,exported_instance=x,exported_job=inner,instance={target.Target},job=node}}");
        Assert.Contains(honoring.Committed, c => c.Series == "{__name__=m,instance=x,job=inner}");
    }

    [Fact]
    public async Task Metric_relabeling_drops_replaces_and_removes_labels()
    {
        target.Serve("go_gc_count 5\nhttp_requests_total{code=\"200\",path=\"/api/v1\"} 9\n");
        var appender = new RecordingAppender();
        RelabelRule[] rules =
        [
            new(RelabelAction.Drop, ["__name__"], "go_.*"),
            new(RelabelAction.Replace, ["code"], "(\\d)\\d\\d", "class", "${1}xx"),
            new(RelabelAction.LabelDrop, [], "path"),
        ];

        var result = await Scraper(appender, j => new ScrapeJob { JobName = j.JobName, Targets = j.Targets, MetricRelabeling = rules }).ScrapeOnceAsync(CancellationToken.None);

        Assert.Equal(2, result.SamplesScraped);
        Assert.Equal(1, result.SamplesKept);
        Assert.Contains(appender.Committed, c => c.Series == $"{{__name__=http_requests_total,class=2xx,code=200,instance={target.Target},job=node}}");
        Assert.Equal(1, appender.ValueOf($"{{__name__=scrape_samples_post_metric_relabeling,instance={target.Target},job=node}}"));
    }

    [Fact]
    public async Task Bearer_and_basic_credentials_are_sent()
    {
        target.Serve("a 1\n");

        await Scraper(new RecordingAppender(), j => new ScrapeJob { JobName = j.JobName, Targets = j.Targets, BearerToken = "t0k" }).ScrapeOnceAsync(CancellationToken.None);
        Assert.Equal("Bearer t0k", target.LastAuthorization);

        await Scraper(new RecordingAppender(), j => new ScrapeJob { JobName = j.JobName, Targets = j.Targets, BasicAuthUser = "u", BasicAuthPassword = "p" }).ScrapeOnceAsync(CancellationToken.None);
        Assert.Equal("Basic dTpw", target.LastAuthorization);
    }
}
