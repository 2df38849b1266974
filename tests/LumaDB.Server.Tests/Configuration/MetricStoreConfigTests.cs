using LumaDB.Server.Configuration;
using LumaDB.Server.Hosting;
using LumaDB.Storage.Wal;

namespace LumaDB.Server.Tests.Configuration;

public sealed class MetricStoreConfigTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("luma-metric-config-");

    public void Dispose() => _dir.Delete(recursive: true);

    private LumaOptions Load(string toml)
    {
        var path = Path.Combine(_dir.FullName, "luma.toml");
        File.WriteAllText(path, toml);
        return ConfigLoader.Load(new ConfigSources { ConfigFile = path }).Options;
    }

    [Theory]
    [InlineData("never", WalFsyncMode.Never)]
    [InlineData("interval", WalFsyncMode.Interval)]
    [InlineData("always", WalFsyncMode.Always)]
    public void Storage_fsync_settings_reach_the_metric_store(string word, WalFsyncMode mode)
    {
        var options = Load($"""
            [storage]
            fsync = "{word}"
            fsync_interval = "250ms"
            """);

        var store = MetricsHosting.ToStoreOptions(options, logger: null);

        Assert.Equal(mode, store.FsyncMode);
        Assert.Equal(TimeSpan.FromMilliseconds(250), store.FsyncInterval);
        Assert.Equal(Path.Combine(options.Server.DataDir, "metrics"), store.Directory);
    }

    [Fact]
    public void Without_a_file_metrics_sync_every_write()
    {
        var store = MetricsHosting.ToStoreOptions(ConfigLoader.Load(new ConfigSources { WorkingDirectory = _dir.FullName }).Options, logger: null);

        Assert.Equal(WalFsyncMode.Always, store.FsyncMode);
    }

    [Fact]
    public void Metrics_retention_and_checkpoint_size_reach_the_metric_store()
    {
        var options = Load("""
            [metrics]
            retention = "15d"
            flush_size = "32MiB"
            """);

        var store = MetricsHosting.ToStoreOptions(options, logger: null);

        Assert.Equal(TimeSpan.FromDays(15), store.Retention);
        Assert.Equal(32L << 20, store.CheckpointLogBytes);
    }

    [Fact]
    public void Metrics_are_kept_forever_by_default()
    {
        var store = MetricsHosting.ToStoreOptions(ConfigLoader.Load(new ConfigSources { WorkingDirectory = _dir.FullName }).Options, logger: null);

        Assert.Null(store.Retention);
    }
}
