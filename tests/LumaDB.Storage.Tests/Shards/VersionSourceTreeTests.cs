using System.Text;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Tests.Shards;

public sealed class VersionSourceTreeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    public async Task The_tree_yields_every_version_in_key_order_newest_first_and_names_the_runner_up(int sourceCount)
    {
        // Random keys from a small alphabet, so the same key often sits in several sources with different seqs;
        // some sources are empty and some are much longer than others.
        var random = new Random(sourceCount);
        var seq = 0UL;
        var versions = Enumerable.Range(0, sourceCount)
            .Select(_ => Enumerable.Range(0, random.Next(4) == 0 ? 0 : random.Next(1, 60))
                .Select(_ => (Key: $"k{random.Next(40):D2}", Seq: ++seq))
                .OrderBy(v => v.Key, StringComparer.Ordinal).ThenByDescending(v => v.Seq)
                .DistinctBy(v => v.Key)
                .ToList())
            .ToList();
        var sources = versions.Select(v => new ListSource(v)).ToList();
        var started = new List<VersionSource>();
        foreach (var source in sources)
        {
            if (await source.MoveNextAsync(CancellationToken.None))
            {
                started.Add(source);
            }
        }

        var tree = new VersionSourceTree(started);
        var merged = new List<(string Key, ulong Seq)>();
        while (tree.Top is { } top)
        {
            // The runner-up is what the top would be without the top's current version.
            var others = sources.Where(s => s != top && !s.Done).Select(s => (s.CurrentKey, s.Seq)).ToList();
            var expectedRunnerUp = others.Count == 0 ? ((string, ulong)?)null
                : others.OrderBy(o => o.CurrentKey, StringComparer.Ordinal).ThenByDescending(o => o.Seq).First();
            var runnerUp = tree.RunnerUp() is ListSource r ? (r.CurrentKey, r.Seq) : ((string, ulong)?)null;
            Assert.Equal(expectedRunnerUp, runnerUp);

            var current = (ListSource)top;
            merged.Add((current.CurrentKey, current.Seq));
            tree.TopMoved(await top.MoveNextAsync(CancellationToken.None));
        }

        var expected = versions.SelectMany(v => v).OrderBy(v => v.Key, StringComparer.Ordinal).ThenByDescending(v => v.Seq).ToList();
        Assert.Equal(expected, merged);
    }

    /// <summary>Versions of distinct keys in (key, seq descending) order, from a list.</summary>
    private sealed class ListSource(List<(string Key, ulong Seq)> versions) : VersionSource
    {
        private int _index = -1;
        private byte[] _key = [];

        public bool Done => _index >= versions.Count;

        public string CurrentKey => versions[_index].Key;

        public override ReadOnlySpan<byte> Key => _key;

        public override ulong Seq => versions[_index].Seq;

        public override bool IsTombstone => false;

        public override ReadOnlySpan<byte> Row => [];

        public override ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
        {
            _index++;
            if (Done)
            {
                return ValueTask.FromResult(false);
            }

            _key = Encoding.UTF8.GetBytes(CurrentKey);
            return ValueTask.FromResult(true);
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
