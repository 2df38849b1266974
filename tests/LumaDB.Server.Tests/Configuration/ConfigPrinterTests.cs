using LumaDB.Server.Configuration;

namespace LumaDB.Server.Tests.Configuration;

public sealed class ConfigPrinterTests
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LumaDB.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root not found");
    }

    [Fact]
    public void The_shipped_example_file_is_the_generated_one_and_documents_every_key()
    {
        var shipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "config", "luma.example.toml"));

        Assert.Equal(ConfigPrinter.Example(), shipped);
        foreach (var key in ConfigSchema.Luma.Keys)
        {
            Assert.Contains($"\n{key.Name} = ", shipped, StringComparison.Ordinal);
            Assert.Contains(key.EnvironmentVariable, shipped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Loading_the_example_file_gives_the_defaults()
    {
        var path = Path.Combine(RepositoryRoot(), "config", "luma.example.toml");

        var loaded = ConfigLoader.Load(new ConfigSources { ConfigFile = path });

        Assert.Equal(ConfigPrinter.Effective(new LumaOptions()), ConfigPrinter.Effective(loaded.Options));
    }

    [Fact]
    public void Effective_configuration_reloads_to_the_same_values()
    {
        var original = ConfigLoader.Load(new ConfigSources { SetFlags = ["http.port=1234", "server.shutdown_grace_period=2m5s", "log.levels.LumaDB=debug"] }).Options;
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, ConfigPrinter.Effective(original));

            var reloaded = ConfigLoader.Load(new ConfigSources { ConfigFile = path }).Options;

            Assert.Equal(ConfigPrinter.Effective(original), ConfigPrinter.Effective(reloaded));
            Assert.Equal(TimeSpan.FromSeconds(125), reloaded.Server.ShutdownGracePeriod);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Secrets_are_masked_when_printed()
    {
        var secret = new ConfigKey("vault", "token", ConfigValueKind.String, "A token.", o => o.Server.DataDir, (o, v) => o.Server.DataDir = (string)v) { IsSecret = true };
        var schema = new ConfigSchema([secret], new Dictionary<string, string>());
        var options = new LumaOptions();
        options.Server.DataDir = "hunter2";

        var printed = ConfigPrinter.Effective(options, schema);

        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        Assert.Contains("token = \"********\"", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("0", 0)]
    public void Durations_parse_in_go_style(string text, long milliseconds)
    {
        Assert.True(ConfigValueText.TryParseDuration(text, out var value));
        Assert.Equal(milliseconds, (long)value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 parsecs")]
    [InlineData("s")]
    public void Malformed_durations_are_refused(string text) => Assert.False(ConfigValueText.TryParseDuration(text, out _));

    [Theory]
    [InlineData("64MiB", 64L << 20)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("4096", 4096)]
    public void Sizes_parse_with_binary_and_decimal_units(string text, long bytes)
    {
        Assert.True(ConfigValueText.TryParseSize(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(0, "0s")]
    [InlineData(1500, "1s500ms")]
    public void Durations_print_in_their_shortest_exact_form(long milliseconds, string text) =>
        Assert.Equal(text, ConfigValueText.FormatDuration(milliseconds));
}
