using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Tests.ObjectStore;
using LumaDB.Storage.Tests.Segments;
using LumaDB.Storage.Tiering;

namespace LumaDB.Storage.Tests.Tiering;

public sealed class SegmentTieringTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Segments => _dir.Combine("segments");

    private string ManifestDirectory => _dir.Combine("manifest");

    /// <summary>Writes three segments of the wide table (ids 0..899) and commits them.</summary>
    private async Task<SegmentDescriptor[]> WriteSegmentsAsync(ShardManifest manifest)
    {
        var writer = new SegmentWriter(Segments, new SegmentWriterOptions { RowGroupSize = 64 });
        var descriptors = new List<SegmentDescriptor>();
        for (var s = 0; s < 3; s++)
        {
            var batches = Rows.Wide(900, 100).Skip(s * 3).Take(3);
            var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), batches);
            manifest.Commit(new SegmentAdded(descriptor));
            descriptors.Add(descriptor);
        }

        return descriptors.ToArray();
    }

    private static async Task<string> ScanAllAsync(ShardManifest manifest, SegmentTiering tiering, SegmentScan scan)
    {
        var lines = new List<string>();
        foreach (var entry in manifest.Segments)
        {
            await using var reader = await tiering.OpenAsync(entry);
            await foreach (var batch in reader.ScanAsync(scan))
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    lines.Add(string.Join(",", Enumerable.Range(0, batch.ColumnCount).Select(c => Format(Rows.Cell(batch.Column(c), i)))));
                }
            }
        }

        return string.Join("\n", lines);

        static string Format(object? value) => value switch
        {
            null => "null",
            byte[] bytes => Convert.ToHexString(bytes),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
        };
    }

    public static TheoryData<string> Scans() => ["all", "time", "predicate"];

    private static SegmentScan ScanNamed(string name) => name switch
    {
        "time" => new SegmentScan { Time = new TimeRange(Rows.EpochMicros + 250_000_000, Rows.EpochMicros + 700_000_000) },
        "predicate" => new SegmentScan { Columns = ["name", "id"], Predicates = [ColumnPredicate.Compare("name", CompareOp.GreaterOrEqual, "name-00500")] },
        _ => SegmentScan.All,
    };

    [Theory]
    [MemberData(nameof(Scans))]
    public async Task A_scan_over_cold_segments_returns_the_same_rows_as_before_tiering(string scanName)
    {
        var store = new LocalFolderObjectStore(_dir.Combine("cold"));
        var cache = new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store);
        using var manifest = ShardManifest.Open(ManifestDirectory);
        var descriptors = await WriteSegmentsAsync(manifest);
        var tiering = new SegmentTiering(manifest, Segments, store, cache);
        var scan = ScanNamed(scanName);
        var before = await ScanAllAsync(manifest, tiering, scan);

        foreach (var descriptor in descriptors)
        {
            await tiering.MoveToColdAsync(descriptor.Id);
        }

        Assert.All(manifest.Segments, e => Assert.Equal(SegmentLocation.Cold, e.Location));
        Assert.Empty(Directory.GetFiles(Segments));
        Assert.Equal(before, await ScanAllAsync(manifest, tiering, scan));
        Assert.NotEmpty(before);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task Cold_state_survives_a_restart_and_reads_through_a_fresh_cache()
    {
        var store = new LocalFolderObjectStore(_dir.Combine("cold"));
        string before;
        using (var manifest = ShardManifest.Open(ManifestDirectory))
        {
            var descriptors = await WriteSegmentsAsync(manifest);
            var tiering = new SegmentTiering(manifest, Segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store));
            before = await ScanAllAsync(manifest, tiering, SegmentScan.All);
            await tiering.MoveOlderThanAsync(Rows.EpochMicros + 600_000_000);
            Assert.Equal(2, manifest.Segments.Count(e => e.Location == SegmentLocation.Cold));
        }

        using var reopened = ShardManifest.Open(ManifestDirectory);
        Assert.Equal([SegmentLocation.Cold, SegmentLocation.Cold, SegmentLocation.Local], reopened.Segments.Select(e => e.Location));
        var fresh = new SegmentTiering(reopened, Segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store));
        Assert.Equal(before, await ScanAllAsync(reopened, fresh, SegmentScan.All));
    }

    [Theory]
    [InlineData(nameof(IObjectStore.PutFileAsync))]
    [InlineData(nameof(IObjectStore.GetInfoAsync))]
    [InlineData(nameof(IObjectStore.GetAsync))]
    public async Task A_failing_object_store_leaves_the_segment_local_and_the_manifest_unchanged(string failingOperation)
    {
        var store = new FaultyObjectStore(new LocalFolderObjectStore(_dir.Combine("cold")));
        store.FailOn.Add(failingOperation);
        SegmentDescriptor victim;
        using (var manifest = ShardManifest.Open(ManifestDirectory))
        {
            victim = (await WriteSegmentsAsync(manifest))[1];
            var tiering = new SegmentTiering(manifest, Segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store));

            var error = await Assert.ThrowsAsync<ObjectStoreException>(() => tiering.MoveToColdAsync(victim.Id));

            Assert.Equal(ObjectStoreErrorKind.Transient, error.Kind);
            Assert.Equal(SegmentLocation.Local, manifest.Find(victim.Id)!.Location);
            Assert.Equal(1, manifest.Recovery.Generation);
        }

        using var reopened = ShardManifest.Open(ManifestDirectory);
        Assert.All(reopened.Segments, e => Assert.Equal(SegmentLocation.Local, e.Location));
        Assert.Equal(3, reopened.Recovery.CommitsReplayed);
        Assert.True(File.Exists(Path.Combine(Segments, victim.FileName)));
        Assert.Empty(reopened.RemoveOrphanFiles(Segments));
    }

    [Fact]
    public async Task An_upload_that_comes_back_different_is_not_trusted()
    {
        var store = new FaultyObjectStore(new LocalFolderObjectStore(_dir.Combine("cold")));
        using var manifest = ShardManifest.Open(ManifestDirectory);
        var victim = (await WriteSegmentsAsync(manifest))[0];
        var tiering = new SegmentTiering(manifest, Segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store));
        var original = await File.ReadAllBytesAsync(Path.Combine(Segments, victim.FileName));
        var flipped = (byte[])original.Clone();
        flipped[flipped.Length / 2] ^= 1;
        store.CorruptUploadsWith = flipped;

        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => tiering.MoveToColdAsync(victim.Id));

        Assert.Equal(ObjectStoreErrorKind.Corrupt, error.Kind);
        Assert.Equal(SegmentLocation.Local, manifest.Find(victim.Id)!.Location);
        Assert.Equal(original, await File.ReadAllBytesAsync(Path.Combine(Segments, victim.FileName)));
    }

    [Fact]
    public async Task An_entry_read_before_a_move_still_opens_after_it()
    {
        var store = new LocalFolderObjectStore(_dir.Combine("cold"));
        using var manifest = ShardManifest.Open(ManifestDirectory);
        var victim = (await WriteSegmentsAsync(manifest))[0];
        var tiering = new SegmentTiering(manifest, Segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store));
        var stale = manifest.Find(victim.Id)!;

        await tiering.MoveToColdAsync(victim.Id);
        await using var reader = await tiering.OpenAsync(stale);

        Assert.Equal(victim.RowCount, reader.RowCount);
    }

    [Fact]
    public async Task A_crash_after_the_manifest_flip_leaves_a_local_copy_that_clean_up_removes()
    {
        var store = new LocalFolderObjectStore(_dir.Combine("cold"));
        using var manifest = ShardManifest.Open(ManifestDirectory);
        var victim = (await WriteSegmentsAsync(manifest))[2];
        var tiering = new SegmentTiering(manifest, Segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store));
        await store.PutFileAsync(tiering.ObjectKeyFor(victim), Path.Combine(Segments, victim.FileName));
        // The process commits the flip and dies before deleting the local file.
        manifest.Commit(new SegmentMovedToCold(victim.Id, tiering.ObjectKeyFor(victim)));

        var removed = manifest.RemoveOrphanFiles(Segments);

        Assert.Equal([victim.FileName], removed);
        await using var reader = await tiering.OpenAsync(manifest.Find(victim.Id)!);
        Assert.Equal(victim.RowCount, reader.RowCount);
    }
}
