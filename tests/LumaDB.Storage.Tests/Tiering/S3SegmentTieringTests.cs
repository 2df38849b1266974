using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Tests.ObjectStore;
using LumaDB.Storage.Tests.Segments;
using LumaDB.Storage.Tiering;

namespace LumaDB.Storage.Tests.Tiering;

[Collection(S3rverCollection.Name)]
public sealed class S3SegmentTieringTests(S3rverFixture server) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Segments_tiered_to_s3_scan_the_same_rows_through_the_cache()
    {
        using var store = new S3ObjectStore(server.Options());
        var segments = _dir.Combine("segments");
        using var manifest = ShardManifest.Open(_dir.Combine("manifest"));
        var writer = new SegmentWriter(segments, new SegmentWriterOptions { RowGroupSize = 100 });
        var descriptor = await writer.WriteAsync(Rows.WideSegmentSchema(), Rows.Wide(rows: 500, batchSize: 128));
        manifest.Commit(new SegmentAdded(descriptor));
        var options = new TieringOptions { KeyPrefix = "shard-" + Guid.NewGuid().ToString("N")[..8] + "/" };
        var tiering = new SegmentTiering(manifest, segments, store, new ColdSegmentCache(_dir.Combine("cache"), 1 << 20, store), options);
        var scan = new SegmentScan { Predicates = [ColumnPredicate.Compare("id", CompareOp.Less, 250L)], Columns = ["id", "name", "at"] };
        var before = await ReadAsync(tiering, manifest.Find(descriptor.Id)!, scan);

        var cold = await tiering.MoveToColdAsync(descriptor.Id);

        Assert.Equal(SegmentLocation.Cold, cold.Location);
        Assert.False(File.Exists(Path.Combine(segments, descriptor.FileName)));
        Assert.Equal(descriptor.ByteSize, (await store.GetInfoAsync(cold.ObjectKey!))!.Size);
        Assert.Equal(before, await ReadAsync(tiering, cold, scan));
        Assert.Equal(250, before.Count);
    }

    private static async Task<List<string>> ReadAsync(SegmentTiering tiering, SegmentEntry entry, SegmentScan scan)
    {
        var rows = new List<string>();
        await using var reader = await tiering.OpenAsync(entry);
        await foreach (var batch in reader.ScanAsync(scan))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add($"{Rows.Cell(batch.Column(0), i)}|{Rows.Cell(batch.Column(1), i)}|{Rows.Cell(batch.Column(2), i)}");
            }
        }

        return rows;
    }
}
