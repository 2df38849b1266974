using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;
using static LumaDB.Storage.Tests.Shards.ShardTestKit;

namespace LumaDB.Storage.Tests.Shards;

/// <summary>Point lookups in segments of many row groups: the row-group search, the cached key index and eviction.</summary>
public sealed class ShardPointLookupTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ShardOptions GroupedOptions(int rowGroupSize, long cacheBytes) => new()
    {
        Directory = _temp.Path,
        Tables = [Metrics, Tags],
        RowGroupCacheBytes = cacheBytes,
        SegmentWriter = new SegmentWriterOptions { RowGroupSize = rowGroupSize },
    };

    [Theory]
    [InlineData(256L * 1024 * 1024)]
    [InlineData(0L)]
    [InlineData(4096L)]
    public async Task Every_key_is_found_across_row_groups_and_segments_whatever_the_cache_holds(long cacheBytes)
    {
        var options = GroupedOptions(16, cacheBytes);
        await using var shard = await Shard.OpenAsync(options);

        // Even ids only, so odd ids fall between rows of one group and between groups.
        var rows = Enumerable.Range(0, 500).Select(i => ((long)i * 2, (string?)$"v1-{i * 2}")).ToArray();
        await PutMetricsAsync(shard, rows);
        await shard.FlushAsync();

        // A second segment overlaps the first: every third key has a newer version, every seventh is deleted.
        await PutMetricsAsync(shard, [.. rows.Where(r => r.Item1 % 3 == 0).Select(r => (r.Item1, (string?)$"v2-{r.Item1}"))]);
        await DeleteMetricsAsync(shard, [.. rows.Where(r => r.Item1 % 7 == 0).Select(r => r.Item1)]);
        await shard.FlushAsync();
        Assert.Equal(2, shard.Segments.Count);

        // Twice: the second pass reads cached groups where the cache holds them.
        for (var pass = 0; pass < 2; pass++)
        {
            for (long id = -3; id <= 1003; id++)
            {
                string? expected = id < 0 || id >= 1000 || id % 2 != 0 || id % 7 == 0 ? null
                    : id % 3 == 0 ? $"v2-{id}" : $"v1-{id}";
                Assert.Equal(expected, await GetNameAsync(shard, id));
            }
        }
    }

    [Theory]
    [InlineData(256L * 1024 * 1024)]
    [InlineData(0L)]
    public async Task Text_keys_that_share_long_prefixes_or_are_prefixes_of_each_other_are_all_found(long cacheBytes)
    {
        var options = GroupedOptions(64, cacheBytes);
        await using var shard = await Shard.OpenAsync(options);

        // Keys that tie in any 8-byte window: long shared runs, keys that are prefixes of others, the empty string,
        // bytes above 0x7F, and one tenant with many ids so a group holds a long tie on the tenant part.
        var tenants = new List<string> { "", "a", "ab", "abc", "\u00e9t\u00e9", "zz" };
        tenants.AddRange(Enumerable.Range(0, 40).Select(i => "tenant-with-a-long-shared-name-" + i));
        tenants.AddRange(Enumerable.Range(0, 40).Select(i => new string('x', i)));
        var stored = new HashSet<(string, int)>();
        var batch = new WriteBatch();
        foreach (var tenant in tenants.Distinct())
        {
            foreach (var id in new[] { -5, 0, 7, 1 << 20 })
            {
                batch.Put(Tags, Tag(tenant, id, true, [(byte)id]));
                stored.Add((tenant, id));
            }
        }

        await shard.CommitAsync(batch);
        await shard.FlushAsync();

        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var tenant in tenants.Concat(["aa", "abcd", "tenant-with-a-long-shared-name-", "tenant-with-a-long-shared-name-400", "y"]))
            {
                foreach (var id in new[] { -5, -1, 0, 7, 8, 1 << 20 })
                {
                    var row = await shard.GetAsync(Tags, TagKey(tenant, id), ulong.MaxValue);
                    Assert.True(stored.Contains((tenant, id)) == row is not null, $"({tenant}, {id})");
                    if (row is not null)
                    {
                        Assert.Equal(tenant, Tags.Codec.GetText(row, 0));
                    }
                }
            }
        }
    }

    [Fact]
    public async Task A_snapshot_still_reads_the_older_version_from_a_cached_group()
    {
        var options = GroupedOptions(4, 256L * 1024 * 1024);
        await using var shard = await Shard.OpenAsync(options);
        await PutMetricsAsync(shard, [.. Enumerable.Range(0, 40).Select(i => ((long)i, (string?)"old"))]);
        using var snapshot = shard.AcquireSnapshot();
        await PutMetricsAsync(shard, [.. Enumerable.Range(0, 40).Select(i => ((long)i, (string?)"new"))]);

        // One flush keeps both versions (a snapshot needs the older): they sit side by side, maybe across groups.
        await shard.FlushAsync();
        for (var pass = 0; pass < 2; pass++)
        {
            for (long id = 0; id < 40; id++)
            {
                Assert.Equal("new", await GetNameAsync(shard, id));
                Assert.Equal("old", await GetNameAsync(shard, id, snapshot.Seq));
            }
        }
    }
}
