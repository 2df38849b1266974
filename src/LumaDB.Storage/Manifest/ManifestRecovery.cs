namespace LumaDB.Storage.Manifest;

/// <summary>What opening a manifest found on disk.</summary>
/// <param name="Generation">Snapshot generation loaded.</param>
/// <param name="CommitsReplayed">Whole commits replayed from the edit log after the snapshot.</param>
/// <param name="TornBytesCut">Bytes of a torn or corrupt log tail that were cut off.</param>
public sealed record ManifestRecovery(long Generation, int CommitsReplayed, long TornBytesCut);
