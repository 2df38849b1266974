using LumaDB.Storage.Memtables;

namespace LumaDB.Storage.Tests.Memtables;

public sealed class MemtableKeyFilterTests
{
    [Fact]
    public void Every_added_hash_is_kept_through_growth_and_absent_hashes_are_turned_away()
    {
        var filter = new MemtableKeyFilter();
        var added = Enumerable.Range(0, 50_000).Select(i => MemtableKeyFilter.Hash(BitConverter.GetBytes(i))).ToArray();
        long grown = 0;
        foreach (var hash in added)
        {
            grown += filter.Add(hash);
            grown += filter.Add(hash);
        }

        Assert.All(added, hash => Assert.True(filter.MayContain(hash)));

        // At most half the slots are used: 50,000 distinct hashes need 128k slots, grown from 1,024.
        Assert.Equal(131_072L * sizeof(uint), filter.Bytes);
        Assert.Equal((131_072L - 1_024) * sizeof(uint), grown);
        var known = added.ToHashSet();
        var absent = Enumerable.Range(50_000, 50_000).Select(i => MemtableKeyFilter.Hash(BitConverter.GetBytes(i))).Where(h => !known.Contains(h)).ToArray();
        Assert.True(absent.Length > 49_900);
        Assert.All(absent, hash => Assert.False(filter.MayContain(hash)));
    }
}
