using LumaDB.Storage.Manifest;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Tests.Segments;

namespace LumaDB.Storage.Tests.Manifest;

public sealed class ShardManifestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static SegmentDescriptor Descriptor(int seed)
    {
        var id = Guid.CreateVersion7();
        var group = new RowGroupRange(10 + seed, [1, (byte)seed], [1, (byte)(seed + 1)], 1000L * seed, (1000L * seed) + 999);
        return new SegmentDescriptor(id, SegmentDescriptor.FileNameFor(id), 10 + seed, 4096 + seed, (uint)seed * 7919u,
            group.MinKey, group.MaxKey, group.MinTimeMicros, group.MaxTimeMicros, [group]);
    }

    private static string Describe(ShardManifest manifest) =>
        string.Join(";", manifest.Segments.Select(e =>
            $"{e.Id}/{e.Location}/{e.ObjectKey}/{e.Descriptor.RowCount}/{e.Descriptor.ByteSize}/{e.Descriptor.Crc32C}/" +
            $"{Convert.ToHexString(e.Descriptor.MinKey)}/{Convert.ToHexString(e.Descriptor.RowGroups[0].MaxKey)}/{e.Descriptor.MaxTimeMicros}"))
        + $"|lsn={manifest.FlushedLsn}";

    [Fact]
    public void A_new_manifest_is_empty_and_reopens_empty()
    {
        using (var manifest = ShardManifest.Open(_dir.Path))
        {
            Assert.Empty(manifest.Segments);
            Assert.Equal(-1, manifest.FlushedLsn);
        }

        using var reopened = ShardManifest.Open(_dir.Path);
        Assert.Empty(reopened.Segments);
    }

    [Fact]
    public void Committed_edits_survive_reopening_twice()
    {
        var a = Descriptor(1);
        var b = Descriptor(2);
        var c = Descriptor(3);
        string expected;
        using (var manifest = ShardManifest.Open(_dir.Path))
        {
            manifest.Commit(new SegmentAdded(a), new FlushedUpTo(10));
            manifest.Commit(new SegmentAdded(b));
            manifest.Commit(new SegmentMovedToCold(a.Id, "shard-0/" + a.FileName));
            manifest.Commit(new SegmentAdded(c), new SegmentRemoved(b.Id), new FlushedUpTo(42));
            expected = Describe(manifest);
        }

        using (var first = ShardManifest.Open(_dir.Path))
        {
            Assert.Equal(expected, Describe(first));
            Assert.Equal(4, first.Recovery.CommitsReplayed);
            Assert.Equal(SegmentLocation.Cold, first.Find(a.Id)!.Location);
            Assert.Null(first.Find(b.Id));
            Assert.Equal(42, first.FlushedLsn);
        }

        using var second = ShardManifest.Open(_dir.Path);
        Assert.Equal(expected, Describe(second));
    }

    [Fact]
    public void Snapshots_replace_the_log_and_leave_one_generation_on_disk()
    {
        var options = new ManifestOptions { SnapshotEveryCommits = 3 };
        var descriptors = Enumerable.Range(1, 8).Select(Descriptor).ToArray();
        string expected;
        using (var manifest = ShardManifest.Open(_dir.Path, options))
        {
            foreach (var d in descriptors)
            {
                manifest.Commit(new SegmentAdded(d));
            }

            manifest.Commit(new SegmentRemoved(descriptors[0].Id), new FlushedUpTo(7));
            expected = Describe(manifest);
        }

        Assert.Equal(2, Directory.GetFiles(_dir.Path).Length);
        using var reopened = ShardManifest.Open(_dir.Path, options);
        Assert.Equal(expected, Describe(reopened));
        Assert.Equal(0, reopened.Recovery.CommitsReplayed);
        Assert.Equal(7, reopened.Segments.Count);
    }

    [Fact]
    public void An_edit_that_does_not_fit_the_state_is_refused_and_changes_nothing()
    {
        var a = Descriptor(1);
        using var manifest = ShardManifest.Open(_dir.Path);
        manifest.Commit(new SegmentAdded(a), new FlushedUpTo(5));
        var before = Describe(manifest);

        Assert.Throws<InvalidOperationException>(() => manifest.Commit(new SegmentAdded(Descriptor(2)), new SegmentRemoved(Guid.NewGuid())));
        Assert.Throws<InvalidOperationException>(() => manifest.Commit(new SegmentAdded(a)));
        Assert.Throws<InvalidOperationException>(() => manifest.Commit(new FlushedUpTo(4)));
        Assert.Throws<InvalidOperationException>(() => manifest.Commit(new SegmentMovedToCold(a.Id, "k"), new SegmentMovedToCold(a.Id, "k")));

        Assert.Equal(before, Describe(manifest));
        manifest.Dispose();
        using var reopened = ShardManifest.Open(_dir.Path);
        Assert.Equal(before, Describe(reopened));
    }

    [Fact]
    public async Task A_torn_log_is_cut_at_every_byte_offset_to_the_last_whole_commit()
    {
        var states = new List<string>();
        var boundaries = new List<long>();
        var source = _dir.Combine("source");
        using (var manifest = ShardManifest.Open(source))
        {
            states.Add(Describe(manifest));
            boundaries.Add(0);
            var a = Descriptor(1);
            manifest.Commit(new SegmentAdded(a));
            Record(manifest);
            manifest.Commit(new SegmentAdded(Descriptor(2)), new FlushedUpTo(3));
            Record(manifest);
            manifest.Commit(new SegmentMovedToCold(a.Id, "cold/" + a.FileName));
            Record(manifest);

            void Record(ShardManifest m)
            {
                states.Add(Describe(m));
                boundaries.Add(new FileInfo(LogFile(source)).Length);
            }
        }

        var snapshot = Directory.GetFiles(source, "*.snapshot").Single();
        var log = File.ReadAllBytes(LogFile(source));
        // Offsets are independent directories; running them side by side overlaps the fsync waits.
        await Parallel.ForAsync(0, log.Length + 1, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (cut, _) =>
        {
            var target = _dir.Combine("cut-" + cut);
            Directory.CreateDirectory(target);
            File.Copy(snapshot, Path.Combine(target, Path.GetFileName(snapshot)));
            File.WriteAllBytes(Path.Combine(target, Path.GetFileName(LogFile(source))), log[..cut]);
            var whole = boundaries.FindLastIndex(b => b <= cut);

            using (var first = ShardManifest.Open(target))
            {
                Assert.Equal(states[whole], Describe(first));
                Assert.Equal(cut - boundaries[whole], first.Recovery.TornBytesCut);
                first.Commit(new FlushedUpTo(100));
            }

            using var second = ShardManifest.Open(target);
            Assert.Equal(0, second.Recovery.TornBytesCut);
            Assert.Equal(whole + 1, second.Recovery.CommitsReplayed);
            Assert.Equal(100, second.FlushedLsn);
            second.Dispose();
            Directory.Delete(target, recursive: true);
            return ValueTask.CompletedTask;
        });
    }

    [Fact]
    public void A_corrupt_last_record_is_cut_like_a_torn_one()
    {
        using (var manifest = ShardManifest.Open(_dir.Path))
        {
            manifest.Commit(new SegmentAdded(Descriptor(1)));
            manifest.Commit(new SegmentAdded(Descriptor(2)));
        }

        var path = LogFile(_dir.Path);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        using var reopened = ShardManifest.Open(_dir.Path);
        Assert.Single(reopened.Segments);
        Assert.True(reopened.Recovery.TornBytesCut > 0);
    }

    [Fact]
    public void A_damaged_snapshot_is_refused_rather_than_guessed_around()
    {
        using (var manifest = ShardManifest.Open(_dir.Path, new ManifestOptions { SnapshotEveryCommits = 1 }))
        {
            manifest.Commit(new SegmentAdded(Descriptor(1)));
        }

        var snapshot = Directory.GetFiles(_dir.Path, "*.snapshot").Single();
        var bytes = File.ReadAllBytes(snapshot);
        bytes[10] ^= 0xFF;
        File.WriteAllBytes(snapshot, bytes);

        Assert.Throws<InvalidDataException>(() => ShardManifest.Open(_dir.Path));
    }

    [Fact]
    public void A_crash_during_a_snapshot_switch_recovers_the_previous_generation()
    {
        string expected;
        using (var manifest = ShardManifest.Open(_dir.Path))
        {
            manifest.Commit(new SegmentAdded(Descriptor(1)), new FlushedUpTo(9));
            expected = Describe(manifest);
        }

        // The switch created the next generation's log and died before publishing its snapshot.
        File.WriteAllBytes(Path.Combine(_dir.Path, "MANIFEST-0000000002.log"), []);
        File.WriteAllBytes(Path.Combine(_dir.Path, "MANIFEST-0000000002.snapshot.tmp"), [1, 2, 3]);

        using var reopened = ShardManifest.Open(_dir.Path);
        Assert.Equal(expected, Describe(reopened));
        Assert.Equal(1, reopened.Recovery.Generation);
        Assert.Equal(2, Directory.GetFiles(_dir.Path).Length);
    }

    [Fact]
    public async Task A_segment_written_but_never_committed_is_ignored_and_cleaned_up()
    {
        var segments = _dir.Combine("segments");
        var writer = new SegmentWriter(segments);
        using (var manifest = ShardManifest.Open(_dir.Combine("manifest")))
        {
            var committed = await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(2, 10, 20));
            manifest.Commit(new SegmentAdded(committed));
            // The process dies after this write, before its manifest commit.
            await writer.WriteAsync(Rows.MetricSegmentSchema(), Rows.Metrics(2, 10, 20));
            File.WriteAllText(Path.Combine(segments, "half-written.parquet" + SegmentWriter.TempSuffix), "partial");
        }

        using var reopened = ShardManifest.Open(_dir.Combine("manifest"));
        var live = Assert.Single(reopened.Segments);
        Assert.Equal(3, Directory.GetFiles(segments).Length);

        var removed = reopened.RemoveOrphanFiles(segments);

        Assert.Equal(2, removed.Count);
        Assert.Equal([live.Descriptor.FileName], Directory.GetFiles(segments).Select(Path.GetFileName));
        Assert.Empty(reopened.RemoveOrphanFiles(segments));
    }

    private static string LogFile(string directory) => Directory.GetFiles(directory, "*.log").Single();
}
