using System.Net;
using System.Text.Json;
using static LumaDB.Protocols.Tests.Prometheus.Api.PromApiServer;

namespace LumaDB.Protocols.Tests.Prometheus.Api;

public sealed class PromApiMetadataTests(PromApiData data) : IClassFixture<PromApiData>
{
    private PromApiServer Api => data.Server;

    private static List<string> Strings(JsonElement body) =>
        [.. body.GetProperty("data").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Labels_lists_every_label_name_sorted()
    {
        var (status, body) = await Api.GetAsync("/api/v1/labels");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", body.GetProperty("status").GetString());
        Assert.Equal(["__name__", "code", "instance", "job"], Strings(body));
    }

    [Fact]
    public async Task Labels_narrowed_by_match_only_names_the_matching_series_labels()
    {
        var (_, body) = await Api.GetAsync("/api/v1/labels?match[]=up");

        Assert.Equal(["__name__", "instance", "job"], Strings(body));
    }

    [Fact]
    public async Task Labels_outside_the_time_window_are_left_out()
    {
        var (_, body) = await Api.GetAsync($"/api/v1/labels?start={(NowMs + 3_600_000) / 1000}&end={(NowMs + 7_200_000) / 1000}");

        Assert.Empty(Strings(body));
    }

    [Fact]
    public async Task A_limit_truncates_and_warns()
    {
        var (_, body) = await Api.GetAsync("/api/v1/labels?limit=2");

        Assert.Equal(["__name__", "code"], Strings(body));
        Assert.Equal("results truncated due to limit", body.GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public async Task Label_values_of_the_metric_name_list_every_metric()
    {
        var (status, body) = await Api.GetAsync("/api/v1/label/__name__/values");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["http_requests_total", "up"], Strings(body));
    }

    [Fact]
    public async Task Label_values_honour_match_and_window_in_a_get_with_several_matchers()
    {
        var (_, job) = await Api.GetAsync("/api/v1/label/job/values?match[]=up%7Binstance%3D%22b:9100%22%7D&match[]=http_requests_total");
        var (_, none) = await Api.GetAsync("/api/v1/label/job/values?start=0&end=1");

        Assert.Equal(["api", "db"], Strings(job));
        Assert.Empty(Strings(none));
    }

    [Fact]
    public async Task Label_values_of_an_unknown_label_are_an_empty_list()
    {
        var (_, body) = await Api.GetAsync("/api/v1/label/nope/values");

        Assert.Equal("""{"status":"success","data":[]}""", body.GetRawText());
    }

    [Fact]
    public async Task Series_returns_label_objects_of_every_matching_series()
    {
        var (status, body) = await Api.PostFormAsync("/api/v1/series", ("match[]", "up"), ("match[]", "http_requests_total{code=\"500\"}"), ("start", "0"), ("end", (NowMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.OK, status);
        var series = body.GetProperty("data").EnumerateArray().Select(s => s.GetRawText()).ToList();
        Assert.Equal(
        [
            """{"__name__":"http_requests_total","code":"500","job":"api"}""",
            """{"__name__":"up","instance":"a:9100","job":"api"}""",
            """{"__name__":"up","instance":"b:9100","job":"db"}""",
        ], series);
    }

    [Fact]
    public async Task Series_without_match_is_bad_data()
    {
        var (status, body) = await Api.GetAsync("/api/v1/series");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}""", body.GetRawText());
    }

    [Fact]
    public async Task Series_with_only_empty_matchers_is_bad_data()
    {
        var (status, body) = await Api.GetAsync("/api/v1/series?match[]=%7Bfoo%3D%22%22%7D");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid parameter \"match[]\": match[] must contain at least one non-empty matcher", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Series_with_a_bad_start_names_the_parameter()
    {
        var (status, body) = await Api.GetAsync("/api/v1/series?match[]=up&start=soon");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid parameter \"start\": Invalid time value for 'start': cannot parse \"soon\" to a valid timestamp", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Metadata_maps_metric_names_to_type_help_and_unit()
    {
        var (_, all) = await Api.GetAsync("/api/v1/metadata");
        var (_, one) = await Api.GetAsync("/api/v1/metadata?metric=up");
        var (_, limited) = await Api.GetAsync("/api/v1/metadata?limit=1");

        Assert.Equal("""{"http_requests_total":[{"type":"counter","help":"Requests served.","unit":""}],"up":[{"type":"gauge","help":"Whether the target answered.","unit":""}]}""", all.GetProperty("data").GetRawText());
        Assert.Equal("""{"up":[{"type":"gauge","help":"Whether the target answered.","unit":""}]}""", one.GetProperty("data").GetRawText());
        Assert.Single(limited.GetProperty("data").EnumerateObject());
    }

    [Fact]
    public async Task Exemplars_come_with_their_series_labels()
    {
        var (status, body) = await Api.GetAsync($"/api/v1/query_exemplars?query=rate(http_requests_total%5B5m%5D)&start={(NowMs - 60_000) / 1000}&end={NowMs / 1000}");

        Assert.Equal(HttpStatusCode.OK, status);
        var series = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal("""{"__name__":"http_requests_total","code":"200","job":"api"}""", series.GetProperty("seriesLabels").GetRawText());
        Assert.Equal($$"""[{"labels":{"trace_id":"4bf92f3577b34da6"},"value":"1.5","timestamp":{{(NowMs - 30_000) / 1000}}}]""", series.GetProperty("exemplars").GetRawText());
    }

    [Fact]
    public async Task Exemplars_outside_the_window_are_left_out()
    {
        var (_, body) = await Api.GetAsync("/api/v1/query_exemplars?query=http_requests_total&start=0&end=1");

        Assert.Equal(0, body.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Buildinfo_has_prometheus_fields()
    {
        var (status, body) = await Api.GetAsync("/api/v1/status/buildinfo");

        Assert.Equal(HttpStatusCode.OK, status);
        var names = body.GetProperty("data").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["version", "revision", "branch", "buildUser", "buildDate", "goVersion"], names);
        Assert.Equal("9.9.9", body.GetProperty("data").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Runtimeinfo_has_prometheus_fields()
    {
        var (_, body) = await Api.GetAsync("/api/v1/status/runtimeinfo");

        var d = body.GetProperty("data");
        Assert.True(DateTimeOffset.TryParse(d.GetProperty("startTime").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(d.GetProperty("reloadConfigSuccess").GetBoolean());
        Assert.Equal(0, d.GetProperty("corruptionCount").GetInt32());
        Assert.True(d.GetProperty("GOMAXPROCS").GetInt32() > 0);
        Assert.Equal(JsonValueKind.String, d.GetProperty("storageRetention").ValueKind);
    }

    [Fact]
    public async Task Format_query_prettifies_as_prometheus_does()
    {
        var (_, body) = await Api.GetAsync("/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)");

        Assert.Equal("""{"status":"success","data":"sum by (job) (rate(x[5m]))"}""", body.GetRawText());
    }

    [Fact]
    public async Task Parse_query_answers_the_syntax_tree()
    {
        var (_, body) = await Api.PostFormAsync("/api/v1/parse_query", ("query", "sum by (job) (rate(x{a=\"b\"}[5m] offset 1m))"));

        var tree = body.GetProperty("data");
        Assert.Equal("aggregation", tree.GetProperty("type").GetString());
        Assert.Equal("sum", tree.GetProperty("op").GetString());
        Assert.Equal("job", tree.GetProperty("grouping")[0].GetString());
        var call = tree.GetProperty("expr");
        Assert.Equal("call", call.GetProperty("type").GetString());
        Assert.Equal("rate", call.GetProperty("func").GetProperty("name").GetString());
        var selector = call.GetProperty("args")[0];
        Assert.Equal("matrixSelector", selector.GetProperty("type").GetString());
        Assert.Equal(300_000, selector.GetProperty("range").GetInt64());
        Assert.Equal(60_000, selector.GetProperty("offset").GetInt64());
        Assert.Equal("""[{"type":"=","name":"a","value":"b"},{"type":"=","name":"__name__","value":"x"}]""", selector.GetProperty("matchers").GetRawText());
    }

    [Fact]
    public async Task Parse_query_of_bad_syntax_is_bad_data()
    {
        var (status, body) = await Api.GetAsync("/api/v1/parse_query?query=sum(");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_data", body.GetProperty("errorType").GetString());
    }
}
