using LumaDB.Server.Configuration;

namespace LumaDB.Server.Tests.Configuration;

public sealed class ScrapeConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("luma-scrape-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    private LumaOptions Load(string toml) => ConfigLoader.Load(new ConfigSources { ConfigFile = Write(toml) }).Options;

    private string Write(string toml)
    {
        var path = Path.Combine(_dir.FullName, "luma.toml");
        File.WriteAllText(path, toml);
        return path;
    }

    private ConfigException Fails(string toml) => Assert.Throws<ConfigException>(() => Load(toml));

    private const string TwoJobs = """
        [http]
        port = 8081

        [[scrape]]
        job_name = "node"
        targets = ["127.0.0.1:9100", "10.0.0.2:9100"]
        interval = "30s"
        timeout = "5s"
        bearer_token = "s3cr3t"

        [[scrape.metric_relabel]]
        action = "drop"
        source_labels = ["__name__"]
        regex = "go_.*"

        [[scrape.metric_relabel]]
        action = "replace"
        source_labels = ["code"]
        regex = "(\\d)\\d\\d"
        target_label = "class"
        replacement = "${1}xx"

        [[scrape]]
        job_name = "app"
        targets = ["localhost:8080"]
        metrics_path = "/internal/metrics"
        scheme = "https"
        honor_labels = true
        honor_timestamps = false
        basic_auth_username = "scraper"
        basic_auth_password = "hunter2"
        """;

    [Fact]
    public void Scrape_jobs_and_their_relabel_rules_are_read_in_order()
    {
        var options = Load(TwoJobs);

        Assert.Equal(8081, options.Http.Port);
        Assert.Equal(["node", "app"], options.Scrape.Select(j => j.JobName));
        var node = options.Scrape[0];
        Assert.Equal(["127.0.0.1:9100", "10.0.0.2:9100"], node.Targets);
        Assert.Equal(TimeSpan.FromSeconds(30), node.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), node.Timeout);
        Assert.Equal("s3cr3t", node.BearerToken);
        Assert.Equal(["drop", "replace"], node.MetricRelabel.Select(r => r.Action));
        Assert.Equal("class", node.MetricRelabel[1].TargetLabel);
        Assert.Equal("${1}xx", node.MetricRelabel[1].Replacement);
        var app = options.Scrape[1];
        Assert.Equal("/internal/metrics", app.MetricsPath);
        Assert.Equal("https", app.Scheme);
        Assert.True(app.HonorLabels);
        Assert.False(app.HonorTimestamps);
        Assert.Empty(app.MetricRelabel);
    }

    [Fact]
    public void Printed_configuration_masks_scrape_secrets_and_reloads_to_the_same_jobs()
    {
        var options = Load(TwoJobs);

        var printed = ConfigPrinter.Effective(options);

        Assert.DoesNotContain("s3cr3t", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.Contains("bearer_token = \"********\"", printed, StringComparison.Ordinal);
        Assert.Contains("basic_auth_password = \"********\"", printed, StringComparison.Ordinal);
        var reloaded = Load(printed);
        Assert.Equal(printed, ConfigPrinter.Effective(reloaded));
    }

    [Theory]
    [InlineData("[[scrape]]\ntargets = [\"a:1\"]\n", "[[scrape]] needs job_name")]
    [InlineData("[[scrape]]\njob_name = \"x\"\n", "needs at least one target")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"a:1\"]\n[[scrape]]\njob_name = \"x\"\ntargets = [\"b:1\"]\n", "is defined twice")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"a:1\"]\ninterval = \"5s\"\ntimeout = \"10s\"\n", "timeout (10s) longer than its interval (5s)")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"http://a:1/metrics\"]\n", "expects \"host:port\" strings")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = \"a:1\"\n", "key 'scrape.targets' expects an array")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"a:1\"]\nintervall = \"1s\"\n", "unknown key 'intervall' in [[scrape]]")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"a:1\"]\n[[scrape.metric_relabel]]\naction = \"explode\"\n", "expects one of \"replace\", \"keep\"")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"a:1\"]\n[[scrape.metric_relabel]]\nregex = \"(\"\n", "is not a valid regular expression")]
    [InlineData("[[scrape]]\njob_name = \"x\"\ntargets = [\"a:1\"]\n[[scrape.metric_relabel]]\naction = \"replace\"\n", "needs target_label")]
    [InlineData("[[scrape.metric_relabel]]\naction = \"drop\"\n", "must follow the [[scrape]] job")]
    [InlineData("[[scrapes]]\njob_name = \"x\"\n", "[[scrapes]] is not a known table array")]
    public void Bad_scrape_configuration_is_refused_with_the_file_line_and_reason(string toml, string expected)
    {
        var error = Fails(toml);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Matches(@"luma\.toml:\d+: ", error.Message);
    }
}
