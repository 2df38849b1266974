using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using LumaDB.Protocols.Prometheus.RemoteWrite;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>The outcome of one scrape.</summary>
public sealed record ScrapeResult(bool Up, int SamplesScraped, int SamplesKept, int SeriesAdded, int StaleMarkers, TimeSpan Duration, string? Error);

/// <summary>
/// Scrapes one target of a job: fetches its metrics (OpenMetrics preferred, Prometheus text accepted), adds
/// <c>job</c> and <c>instance</c>, applies metric relabeling, writes staleness markers for series that
/// disappeared, and the synthetic <c>up</c>, <c>scrape_duration_seconds</c>, <c>scrape_samples_scraped</c>,
/// <c>scrape_samples_post_metric_relabeling</c> and <c>scrape_series_added</c> series, as Prometheus does.
/// </summary>
public sealed partial class TargetScraper
{
    /// <summary>Prometheus's staleness marker: a NaN with this exact bit pattern ends a series.</summary>
    public static readonly double StaleNaN = BitConverter.UInt64BitsToDouble(0x7ff0000000000002);

    private const string AcceptHeader = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private readonly ScrapeJob _job;
    private readonly string _target;
    private readonly HttpClient _http;
    private readonly IScrapeAppender _appender;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ExpositionParser _parser = new();
    private Dictionary<string, KeyValuePair<string, string>[]> _previous = new(StringComparer.Ordinal);

    /// <summary>Creates a scraper for one target of a job.</summary>
    public TargetScraper(ScrapeJob job, string target, HttpClient http, IScrapeAppender appender, TimeProvider time, ILogger logger)
    {
        _job = job;
        _target = target;
        _http = http;
        _appender = appender;
        _time = time;
        _logger = logger;
    }

    /// <summary>Scrapes on the job's interval until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_job.Interval, _time);
        do
        {
            await ScrapeOnceAsync(cancellationToken);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>Scrapes once and commits the result.</summary>
    public async Task<ScrapeResult> ScrapeOnceAsync(CancellationToken cancellationToken)
    {
        var scrapeTime = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var started = Stopwatch.GetTimestamp();
        var collected = new List<(KeyValuePair<string, string>[] Labels, long Ts, double Value)>();
        var sink = new CollectingSink(this, collected, scrapeTime);
        string? error = null;
        var scraped = 0;
        try
        {
            var (body, contentType) = await FetchAsync(cancellationToken);
            if (!_parser.TryParse(body, ExpositionParser.FormatOf(contentType), ref sink, out scraped, out error))
            {
                error = "parse error: " + error;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"scrape timed out after {_job.Timeout.TotalSeconds:0.###}s";
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var up = error is null;
        if (!up)
        {
            LogScrapeFailed(_job.JobName, _target, error!);
            collected.Clear();
            sink.Metadata.Clear();
        }

        var current = new Dictionary<string, KeyValuePair<string, string>[]>(collected.Count, StringComparer.Ordinal);
        var added = 0;
        foreach (var (labels, ts, value) in collected)
        {
            var key = SeriesKey(labels);
            if (current.TryAdd(key, labels) && !_previous.ContainsKey(key))
            {
                added++;
            }

            _appender.Append(labels, ts, value);
        }

        foreach (var (family, (type, help, unit)) in sink.Metadata)
        {
            _appender.Metadata(family, type, help, unit);
        }

        var stale = 0;
        foreach (var (key, labels) in _previous)
        {
            if (!current.ContainsKey(key))
            {
                _appender.Append(labels, scrapeTime, StaleNaN);
                stale++;
            }
        }

        _previous = current;
        AppendSynthetic("up", up ? 1 : 0, scrapeTime);
        AppendSynthetic("scrape_duration_seconds", duration.TotalSeconds, scrapeTime);
        AppendSynthetic("scrape_samples_scraped", up ? scraped : 0, scrapeTime);
        AppendSynthetic("scrape_samples_post_metric_relabeling", collected.Count, scrapeTime);
        AppendSynthetic("scrape_series_added", added, scrapeTime);
        await _appender.CommitAsync(cancellationToken);
        return new ScrapeResult(up, up ? scraped : 0, collected.Count, added, stale, duration, error);
    }

    private async Task<(byte[] Body, string? ContentType)> FetchAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_job.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, _job.UrlOf(_target));
        request.Headers.TryAddWithoutValidation("Accept", AcceptHeader);
        request.Headers.TryAddWithoutValidation("X-Prometheus-Scrape-Timeout-Seconds", _job.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_job.BearerToken is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (_job.BasicAuthUser is { Length: > 0 } user)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + _job.BasicAuthPassword));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"server returned HTTP status {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        return (body, response.Content.Headers.ContentType?.MediaType);
    }

    private void AppendSynthetic(string name, double value, long timestamp)
    {
        KeyValuePair<string, string>[] labels = [new("__name__", name), new("instance", _target), new("job", _job.JobName)];
        _appender.Append(labels, timestamp, value);
    }

    /// <summary>Applies target labels and relabeling; null when a rule drops the series.</summary>
    private KeyValuePair<string, string>[]? Finish(SortedDictionary<string, string> labels)
    {
        if (_job.HonorLabels)
        {
            labels.TryAdd("job", _job.JobName);
            labels.TryAdd("instance", _target);
        }
        else
        {
            foreach (var (name, value) in new[] { ("job", _job.JobName), ("instance", _target) })
            {
                if (labels.Remove(name, out var exported))
                {
                    labels["exported_" + name] = exported;
                }

                labels[name] = value;
            }
        }

        return RelabelRule.Apply(_job.MetricRelabeling, labels) && labels.ContainsKey("__name__") ? [.. labels] : null;
    }

    private static string SeriesKey(KeyValuePair<string, string>[] labels)
    {
        var key = new StringBuilder();
        foreach (var (name, value) in labels)
        {
            key.Append(name).Append('\xff').Append(value).Append('\xfe');
        }

        return key.ToString();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Scrape of job {Job} target {Target} failed: {Reason}")]
    private partial void LogScrapeFailed(string job, string target, string reason);

    /// <summary>Turns parsed samples into finished label sets for the pending scrape.</summary>
    private readonly struct CollectingSink(TargetScraper scraper, List<(KeyValuePair<string, string>[] Labels, long Ts, double Value)> collected, long scrapeTime) : IExpositionSink
    {
        private readonly Dictionary<string, (MetricType Type, string Help, string Unit)> _metadata = new(StringComparer.Ordinal);

        public Dictionary<string, (MetricType Type, string Help, string Unit)> Metadata => _metadata;

        public void Help(ReadOnlySpan<byte> family, ReadOnlySpan<byte> help)
        {
            var text = Encoding.UTF8.GetString(help);
            Update(family, m => m with { Help = text });
        }

        public void Type(ReadOnlySpan<byte> family, MetricType type) => Update(family, m => m with { Type = type });

        public void Unit(ReadOnlySpan<byte> family, ReadOnlySpan<byte> unit)
        {
            var text = Encoding.UTF8.GetString(unit);
            Update(family, m => m with { Unit = text });
        }

        public void Sample(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs)
        {
            var set = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in labels)
            {
                set[Encoding.UTF8.GetString(label.Name(buffer))] = Encoding.UTF8.GetString(label.Value(buffer));
            }

            if (scraper.Finish(set) is { } finished)
            {
                var ts = scraper._job.HonorTimestamps && timestampMs is { } explicitTs ? explicitTs : scrapeTime;
                collected.Add((finished, ts, value));
            }
        }

        public void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs)
        {
        }

        private void Update(ReadOnlySpan<byte> family, Func<(MetricType Type, string Help, string Unit), (MetricType, string, string)> change)
        {
            var name = Encoding.UTF8.GetString(family);
            _metadata[name] = change(_metadata.GetValueOrDefault(name, (MetricType.Unknown, "", "")));
        }
    }
}
