namespace LumaDB.Storage.Shards;

/// <summary>
/// A loser tree over the sources of a k-way merge, ordered by <see cref="VersionSource.Comparer"/>: after the top
/// source moves on, one pass from its leaf to the root (ceil(log2 k) comparisons) finds the next top, about half
/// of what a binary heap's remove and re-insert cost. Sources compare in place, so a source is only ever moved
/// while it is the top.
/// </summary>
internal sealed class VersionSourceTree
{
    private readonly VersionSource?[] _sources;

    // _losers[0] is the top's leaf; _losers[n] (n >= 1) the leaf that lost the match at node n. Leaf i sits below
    // node (i + k) / 2; an exhausted leaf (null source) loses to everything.
    private readonly int[] _losers;

    /// <summary>A tree over <paramref name="sources"/>, each standing at its first version.</summary>
    public VersionSourceTree(IReadOnlyList<VersionSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = [.. sources];
        _losers = new int[Math.Max(1, _sources.Length)];
        if (_sources.Length == 0)
        {
            return;
        }

        // Each leaf climbs until it meets a node no leaf has reached yet and waits there; the second leaf to reach
        // a node plays the one waiting, the loser stays and the winner climbs on. The leaf that passes node 1 wins.
        _losers.AsSpan().Fill(-1);
        var k = _sources.Length;
        for (var leaf = 0; leaf < k; leaf++)
        {
            var winner = leaf;
            var node = (leaf + k) >> 1;
            for (; node > 0; node >>= 1)
            {
                if (_losers[node] < 0)
                {
                    _losers[node] = winner;
                    break;
                }

                if (Less(_losers[node], winner))
                {
                    (_losers[node], winner) = (winner, _losers[node]);
                }
            }

            if (node == 0)
            {
                _losers[0] = winner;
            }
        }
    }

    /// <summary>Moves every source to its first version and builds the tree over those that have one.</summary>
    public static async ValueTask<VersionSourceTree> StartAsync(IReadOnlyList<VersionSource> sources, CancellationToken cancellationToken)
    {
        var started = new List<VersionSource>(sources.Count);
        foreach (var source in sources)
        {
            if (await source.MoveNextAsync(cancellationToken).ConfigureAwait(false))
            {
                started.Add(source);
            }
        }

        return new VersionSourceTree(started);
    }

    /// <summary>The source with the smallest current version, or null when every source is exhausted.</summary>
    public VersionSource? Top => _sources.Length == 0 ? null : _sources[_losers[0]];

    /// <summary>
    /// Re-sorts after the top source moved: <paramref name="hasMore"/> says whether it stands at a version (or a
    /// pending group) again, or is exhausted.
    /// </summary>
    public void TopMoved(bool hasMore)
    {
        var winner = _losers[0];
        if (!hasMore)
        {
            _sources[winner] = null;
        }

        for (var node = (winner + _sources.Length) >> 1; node > 0; node >>= 1)
        {
            if (Less(_losers[node], winner))
            {
                (_losers[node], winner) = (winner, _losers[node]);
            }
        }

        _losers[0] = winner;
    }

    /// <summary>The smallest source after the top (the best of those the top beat on its way up), or null.</summary>
    public VersionSource? RunnerUp()
    {
        if (_sources.Length == 0)
        {
            return null;
        }

        var best = -1;
        for (var node = (_losers[0] + _sources.Length) >> 1; node > 0; node >>= 1)
        {
            if (best < 0 || Less(_losers[node], best))
            {
                best = _losers[node];
            }
        }

        return best < 0 ? null : _sources[best];
    }

    private bool Less(int a, int b)
    {
        var x = _sources[a];
        var y = _sources[b];
        if (x is null)
        {
            return false;
        }

        return y is null || VersionSource.Comparer.Instance.Compare(x, y) < 0;
    }
}
