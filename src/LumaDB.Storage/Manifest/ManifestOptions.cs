namespace LumaDB.Storage.Manifest;

/// <summary>Tuning of a shard manifest.</summary>
public sealed class ManifestOptions
{
    /// <summary>Commits after which the state is snapshotted and the edit log restarted.</summary>
    public int SnapshotEveryCommits { get; init; } = 1000;
}
