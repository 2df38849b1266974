using System.Net;
using System.Text.Json;
using LumaDB.Engine.Metrics;
using LumaDB.Protocols.Prometheus.Api;
using static LumaDB.Protocols.Tests.Prometheus.Api.PromApiServer;

namespace LumaDB.Protocols.Tests.Prometheus.Api;

/// <summary>Samples every 15 s over the hour before <see cref="PromApiServer.NowMs"/>.</summary>
public sealed class PromApiData : IAsyncLifetime
{
    public const long Start = NowMs - 3_600_000;

    public PromApiServer Server { get; private set; } = null!;

    public static MetricStore Fill()
    {
        var store = new MetricStore();
        var upApi = LabelSet.Create(("__name__", "up"), ("job", "api"), ("instance", "a:9100"));
        var upDb = LabelSet.Create(("__name__", "up"), ("job", "db"), ("instance", "b:9100"));
        var ok = LabelSet.Create(("__name__", "http_requests_total"), ("job", "api"), ("code", "200"));
        var failed = LabelSet.Create(("__name__", "http_requests_total"), ("job", "api"), ("code", "500"));
        for (long t = Start, i = 0; t <= NowMs; t += 15_000, i++)
        {
            store.Append(upApi, t, 1);
            store.Append(upDb, t, 0);
            store.Append(ok, t, 10 * i);
            store.Append(failed, t, i);
        }

        var metadata = new MetricWriteBatch();
        metadata.AddMetadata("http_requests_total", new MetricMetadata("counter", "Requests served.", ""));
        metadata.AddMetadata("up", new MetricMetadata("gauge", "Whether the target answered.", ""));
        store.WriteAsync(metadata).AsTask().GetAwaiter().GetResult();
        store.AddExemplar(ok, new Exemplar(LabelSet.Create(("trace_id", "4bf92f3577b34da6")), 1.5, NowMs - 30_000));
        return store;
    }

    public async Task InitializeAsync() => Server = await StartAsync(Fill());

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Server.Store.Dispose();
    }
}

public sealed class PromApiQueryTests(PromApiData data) : IClassFixture<PromApiData>
{
    private PromApiServer Api => data.Server;

    private static string Seconds(long ms) => (ms / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertError(HttpStatusCode expectedStatus, string errorType, string message, (HttpStatusCode Status, JsonElement Body) response)
    {
        Assert.Equal(expectedStatus, response.Status);
        Assert.Equal("error", response.Body.GetProperty("status").GetString());
        Assert.Equal(errorType, response.Body.GetProperty("errorType").GetString());
        Assert.Equal(message, response.Body.GetProperty("error").GetString());
        Assert.False(response.Body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task An_instant_query_answers_a_vector_with_metric_and_value()
    {
        var (status, body) = await Api.GetAsync($"/api/v1/query?query=up&time={Seconds(NowMs)}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body.GetProperty("status").GetString());
        var d = body.GetProperty("data");
        Assert.Equal("vector", d.GetProperty("resultType").GetString());
        var result = d.GetProperty("result").EnumerateArray().OrderBy(r => r.GetProperty("metric").GetProperty("job").GetString()).ToList();
        Assert.Equal(2, result.Count);
        Assert.Equal("""{"__name__":"up","instance":"a:9100","job":"api"}""", result[0].GetProperty("metric").GetRawText());
        Assert.Equal($"[{Seconds(NowMs)},\"1\"]", result[0].GetProperty("value").GetRawText());
        Assert.Equal("0", result[1].GetProperty("value")[1].GetString());
        Assert.False(body.TryGetProperty("warnings", out _));
    }

    [Fact]
    public async Task Rate_over_a_metric_not_named_like_a_counter_answers_with_an_info_at_the_selector()
    {
        var (status, body) = await Api.GetAsync($"/api/v1/query?query=rate(up%5B5m%5D)&time={Seconds(NowMs)}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body.GetProperty("status").GetString());
        var infos = body.GetProperty("infos").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"up\" (1:6)"], infos);
        Assert.False(body.TryGetProperty("warnings", out _));
    }

    [Fact]
    public async Task A_counter_named_like_one_raises_no_info()
    {
        var (_, body) = await Api.GetAsync($"/api/v1/query?query=rate(http_requests_total%5B5m%5D)&time={Seconds(NowMs)}");

        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("infos", out _));
    }

    [Fact]
    public async Task Sort_in_a_range_query_answers_with_a_warning()
    {
        var (status, body) = await Api.GetAsync($"/api/v1/query_range?query=sort(up)&start={Seconds(NowMs - 600_000)}&end={Seconds(NowMs)}&step=60");

        Assert.Equal(HttpStatusCode.OK, status);
        var warnings = body.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)"], warnings);
    }

    [Fact]
    public async Task An_instant_query_without_time_is_evaluated_now()
    {
        var (_, body) = await Api.GetAsync("/api/v1/query?query=time()");

        Assert.Equal("scalar", body.GetProperty("data").GetProperty("resultType").GetString());
        Assert.Equal($"[{Seconds(NowMs)},\"{Seconds(NowMs)}\"]", body.GetProperty("data").GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task A_form_post_query_answers_like_a_get()
    {
        var get = await Api.GetAsync($"/api/v1/query?query=sum%20by%20(code)%20(rate(http_requests_total%5B5m%5D))&time={Seconds(NowMs)}");
        var post = await Api.PostFormAsync("/api/v1/query", ("query", "sum by (code) (rate(http_requests_total[5m]))"), ("time", Seconds(NowMs)));

        Assert.Equal(HttpStatusCode.OK, post.Status);
        Assert.Equal(get.Body.GetRawText(), post.Body.GetRawText());
        var rates = post.Body.GetProperty("data").GetProperty("result").EnumerateArray()
            .ToDictionary(r => r.GetProperty("metric").GetProperty("code").GetString()!, r => double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(10 / 15.0, rates["200"], 9);
        Assert.Equal(1 / 15.0, rates["500"], 9);
    }

    [Fact]
    public async Task A_string_and_a_range_vector_are_answered_in_their_result_types()
    {
        var (_, text) = await Api.GetAsync($"/api/v1/query?query=%22hello%22&time=10");
        var (_, matrix) = await Api.GetAsync($"/api/v1/query?query=up%7Bjob%3D%22db%22%7D%5B30s%5D&time={Seconds(NowMs)}");

        Assert.Equal("""{"resultType":"string","result":[10,"hello"]}""", text.GetProperty("data").GetRawText());
        Assert.Equal("matrix", matrix.GetProperty("data").GetProperty("resultType").GetString());
        var values = matrix.GetProperty("data").GetProperty("result")[0].GetProperty("values");
        Assert.Equal($"[[{Seconds(NowMs - 15_000)},\"0\"],[{Seconds(NowMs)},\"0\"]]", values.GetRawText());
    }

    [Fact]
    public async Task A_range_query_answers_a_matrix_with_one_point_per_step()
    {
        var start = NowMs - 600_000;
        var (status, body) = await Api.GetAsync($"/api/v1/query_range?query=up%7Bjob%3D%22api%22%7D&start={Seconds(start)}&end={Seconds(NowMs)}&step=60");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("matrix", body.GetProperty("data").GetProperty("resultType").GetString());
        var series = Assert.Single(body.GetProperty("data").GetProperty("result").EnumerateArray());
        Assert.Equal("api", series.GetProperty("metric").GetProperty("job").GetString());
        var points = series.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(11, points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            Assert.Equal((start + (i * 60_000)) / 1000.0, points[i][0].GetDouble());
            Assert.Equal("1", points[i][1].GetString());
        }
    }

    [Fact]
    public async Task A_range_query_reports_fetch_and_evaluation_time_in_server_timing()
    {
        using var response = await Api.Http.GetAsync($"/api/v1/query_range?query=rate(http_requests_total%5B5m%5D)&start={Seconds(NowMs - 600_000)}&end={Seconds(NowMs)}&step=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^fetch;dur=\d+\.\d, eval;dur=-?\d+\.\d$", timing);
    }

    [Fact]
    public async Task A_range_query_takes_rfc3339_times_and_duration_steps()
    {
        var seconds = await Api.GetAsync($"/api/v1/query_range?query=up&start={Seconds(NowMs - 120_000)}&end={Seconds(NowMs)}&step=30");
        var words = await Api.GetAsync("/api/v1/query_range?query=up&start=2025-12-31T23:58:00Z&end=2026-01-01T01:00:00%2B01:00&step=30s");

        Assert.Equal(HttpStatusCode.OK, words.Status);
        Assert.Equal(seconds.Body.GetRawText(), words.Body.GetRawText());
    }

    [Fact]
    public async Task A_scalar_range_query_is_one_series_without_labels()
    {
        var (_, body) = await Api.GetAsync("/api/v1/query_range?query=2*3&start=0&end=20&step=10");

        Assert.Equal("""{"resultType":"matrix","result":[{"metric":{},"values":[[0,"6"],[10,"6"],[20,"6"]]}]}""", body.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Special_values_are_written_as_prometheus_strings()
    {
        var (_, body) = await Api.GetAsync("/api/v1/query?query=vector(1%2F0)%20or%20label_replace(vector(-1%2F0),%22a%22,%22b%22,%22%22,%22%22)%20or%20label_replace(vector(0%2F0),%22a%22,%22c%22,%22%22,%22%22)&time=1");

        var values = body.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.GetProperty("value")[1].GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["+Inf", "-Inf", "NaN"], values);
    }

    [Fact]
    public async Task A_syntax_error_is_bad_data_with_the_parser_position()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:7: parse error: unclosed left parenthesis",
            await Api.GetAsync("/api/v1/query?query=sum(up"));
    }

    [Fact]
    public async Task An_unknown_function_is_bad_data()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:1: parse error: unknown function with name \"frobnicate\"",
            await Api.GetAsync("/api/v1/query?query=frobnicate(up)"));
    }

    [Fact]
    public async Task A_wrong_argument_type_is_bad_data()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": 1:6: parse error: expected type range vector in call to function \"rate\", got instant vector",
            await Api.GetAsync("/api/v1/query?query=rate(up)"));
    }

    [Fact]
    public async Task An_empty_query_is_bad_data()
    {
        var (status, body) = await Api.GetAsync("/api/v1/query");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("invalid parameter \"query\": ", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unparseable_time_names_the_parameter()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"yesterday\" to a valid timestamp",
            await Api.GetAsync("/api/v1/query?query=up&time=yesterday"));
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"start\": cannot parse \"x\" to a valid timestamp",
            await Api.GetAsync("/api/v1/query_range?query=up&start=x&end=10&step=1"));
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"end\": cannot parse \"\" to a valid timestamp",
            await Api.GetAsync("/api/v1/query_range?query=up&start=1&step=1"));
    }

    [Fact]
    public async Task A_bad_step_is_bad_data()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"step\": cannot parse \"often\" to a valid duration",
            await Api.GetAsync("/api/v1/query_range?query=up&start=0&end=10&step=often"));
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer",
            await Api.GetAsync("/api/v1/query_range?query=up&start=0&end=10&step=0"));
    }

    [Fact]
    public async Task An_end_before_start_is_bad_data()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"end\": end timestamp must not be before start time",
            await Api.GetAsync("/api/v1/query_range?query=up&start=100&end=10&step=1"));
    }

    [Fact]
    public async Task Too_many_points_per_series_is_refused()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
            await Api.GetAsync("/api/v1/query_range?query=up&start=0&end=11001&step=1"));
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync("/api/v1/query_range?query=1&start=0&end=11000&step=1")).Status);
    }

    [Fact]
    public async Task A_range_query_of_a_range_vector_is_bad_data()
    {
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector",
            await Api.GetAsync("/api/v1/query_range?query=up%5B5m%5D&start=0&end=10&step=1"));
    }

    [Fact]
    public async Task An_evaluation_error_is_an_execution_error()
    {
        // Removing the label that tells the two series apart leaves two equal label sets.
        AssertError((HttpStatusCode)422, "execution", "vector cannot contain metrics with the same labelset",
            await Api.GetAsync($"/api/v1/query?query=label_replace(http_requests_total,%22code%22,%22%22,%22%22,%22%22)&time={Seconds(NowMs)}"));
    }

    [Fact]
    public async Task The_server_keeps_answering_after_bad_input()
    {
        await Api.GetAsync("/api/v1/query?query=%29%29%29");
        await Api.PostFormAsync("/api/v1/query_range", ("query", "up"), ("start", "nope"));

        var (status, _) = await Api.GetAsync("/api/v1/query?query=up");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_query_over_its_sample_limit_fails_with_an_execution_error()
    {
        using var store = PromApiData.Fill();
        await using var api = await StartAsync(store, new PromApiOptions { MaxSamples = 100 });

        AssertError((HttpStatusCode)422, "execution", "query processing would load too many samples into memory in query execution",
            await api.GetAsync($"/api/v1/query?query=count_over_time(up%5B1h%5D)&time={Seconds(NowMs)}"));
        AssertError((HttpStatusCode)422, "execution", "query processing would load too many samples into memory in query execution",
            await api.GetAsync($"/api/v1/query_range?query=up&start={Seconds(PromApiData.Start)}&end={Seconds(NowMs)}&step=15"));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/query?query=up&time={Seconds(NowMs)}")).Status);
    }

    [Fact]
    public async Task A_runaway_query_is_stopped_by_the_timeout()
    {
        using var store = PromApiData.Fill();
        await using var api = await StartAsync(store, new PromApiOptions { QueryTimeout = TimeSpan.FromMilliseconds(200) });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // A one-second subquery over ten years: about 315 million inner steps.
        AssertError(HttpStatusCode.ServiceUnavailable, "timeout", "query timed out in expression evaluation",
            await api.GetAsync("/api/v1/query?query=count_over_time(vector(1)%5B3650d:1s%5D)&time=0"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task The_timeout_parameter_can_shorten_the_configured_limit()
    {
        AssertError(HttpStatusCode.ServiceUnavailable, "timeout", "query timed out in expression evaluation",
            await Api.GetAsync("/api/v1/query?query=count_over_time(vector(1)%5B3650d:1s%5D)&time=0&timeout=100ms"));
        AssertError(HttpStatusCode.BadRequest, "bad_data", "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration",
            await Api.GetAsync("/api/v1/query?query=1&timeout=soon"));
    }

    [Fact]
    public async Task Lookback_delta_parameter_changes_how_far_back_selectors_look()
    {
        var later = NowMs + 60_000;
        var (_, normal) = await Api.GetAsync($"/api/v1/query?query=up&time={Seconds(later)}");
        var (_, shortLookback) = await Api.GetAsync($"/api/v1/query?query=up&time={Seconds(later)}&lookback_delta=30s");

        Assert.Equal(2, normal.GetProperty("data").GetProperty("result").GetArrayLength());
        Assert.Equal(0, shortLookback.GetProperty("data").GetProperty("result").GetArrayLength());
    }
}
