using System.Text.RegularExpressions;
using LumaDB.Engine.Metrics;

namespace LumaDB.Engine.Tests.Metrics;

public sealed class SeriesIndexTests
{
    private static LabelSet L(params (string, string)[] labels) => LabelSet.Create(labels);

    private static SeriesMatcher Re(SeriesMatchType type, string name, string pattern) =>
        new(type, name, pattern, new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant));

    private static (SeriesIndex Index, ulong A, ulong B, ulong C) ThreeSeries()
    {
        var index = new SeriesIndex();
        var a = index.GetOrAdd(L(("__name__", "up"), ("job", "api"), ("instance", "0")));
        var b = index.GetOrAdd(L(("__name__", "up"), ("job", "db")));
        var c = index.GetOrAdd(L(("__name__", "errors"), ("job", "api"), ("instance", "1")));
        return (index, a, b, c);
    }

    [Fact]
    public void The_same_label_set_gets_the_same_id_whatever_the_input_order()
    {
        var index = new SeriesIndex();
        var first = index.GetOrAdd(L(("b", "2"), ("a", "1")));
        var second = index.GetOrAdd(L(("a", "1"), ("b", "2")));
        Assert.Equal(first, second);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Series_share_one_instance_of_each_label_name_and_value()
    {
        var index = new SeriesIndex();
        // Built from separate strings, as every decoded request does.
        var a = index.GetOrAdd(L((new string("__name__".AsSpan()), "cpu"), (new string("job".AsSpan()), new string("node".AsSpan()))));
        var b = index.GetOrAdd(L((new string("__name__".AsSpan()), "mem"), (new string("job".AsSpan()), new string("node".AsSpan()))));

        Assert.NotEqual(a, b);
        Assert.Same(index.LabelsOf(a)[1].Name, index.LabelsOf(b)[1].Name);
        Assert.Same(index.LabelsOf(a)[1].Value, index.LabelsOf(b)[1].Value);
        Assert.Equal("node", index.LabelsOf(b).Get("job"));
    }

    [Fact]
    public void A_batch_with_known_and_repeated_new_series_counts_each_new_series_once_against_the_limit()
    {
        var index = new SeriesIndex();
        var known = index.GetOrAdd(L(("__name__", "known")));
        LabelSet[] batch = [L(("__name__", "known")), L(("__name__", "new")), L(("__name__", "new"))];
        var ids = new ulong[3];

        Assert.Equal(-1, index.GetOrAddAll(batch, ids, maxSeries: 1));
        Assert.Equal(1, index.Count);
        Assert.Equal(1, index.GetOrAddAll(batch, ids, maxSeries: 2));
        Assert.Equal(known, ids[0]);
        Assert.Equal(ids[1], ids[2]);
        Assert.Equal(0, index.GetOrAddAll(batch, ids, maxSeries: 2));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Equality_matchers_intersect_postings()
    {
        var (index, a, _, _) = ThreeSeries();
        var ids = index.Select([new SeriesMatcher(SeriesMatchType.Equal, "__name__", "up"), new SeriesMatcher(SeriesMatchType.Equal, "job", "api")]);
        Assert.Equal([a], ids.Ids.ToArray());
    }

    [Fact]
    public void Not_equal_also_selects_series_without_the_label()
    {
        var (index, _, b, c) = ThreeSeries();
        var ids = index.Select([new SeriesMatcher(SeriesMatchType.NotEqual, "instance", "0")]);
        Assert.Equal([b, c], ids.Ids.ToArray());
    }

    [Fact]
    public void A_regex_that_matches_empty_selects_series_missing_the_label()
    {
        var (index, _, b, c) = ThreeSeries();
        var ids = index.Select([Re(SeriesMatchType.Regex, "instance", "1|")]);
        Assert.Equal([b, c], ids.Ids.ToArray());
    }

    [Fact]
    public void A_negative_regex_removes_matching_values()
    {
        var (index, a, _, _) = ThreeSeries();
        var ids = index.Select([new SeriesMatcher(SeriesMatchType.Equal, "job", "api"), Re(SeriesMatchType.NotRegex, "__name__", "err.*")]);
        Assert.Equal([a], ids.Ids.ToArray());
    }

    [Fact]
    public void Equal_to_empty_selects_only_series_without_the_label()
    {
        var (index, _, b, _) = ThreeSeries();
        var ids = index.Select([new SeriesMatcher(SeriesMatchType.Equal, "instance", "")]);
        Assert.Equal([b], ids.Ids.ToArray());
    }

    [Fact]
    public void Label_names_and_values_are_listed_sorted()
    {
        var (index, _, _, _) = ThreeSeries();
        Assert.Equal(["__name__", "instance", "job"], index.LabelNames());
        Assert.Equal(["api", "db"], index.LabelValues("job"));
        Assert.Empty(index.LabelValues("missing"));
    }

    [Fact]
    public void Postings_set_operations_keep_ids_sorted_and_unique()
    {
        var x = new Postings([1, 3, 5, 7]);
        var y = new Postings([3, 4, 7, 9]);
        Assert.Equal([3UL, 7], Postings.Intersect(x, y).Ids.ToArray());
        Assert.Equal([1UL, 3, 4, 5, 7, 9], Postings.Union(x, y).Ids.ToArray());
        Assert.Equal([1UL, 5], Postings.Subtract(x, y).Ids.ToArray());
    }

    [Fact]
    public void A_label_set_registered_in_one_index_gets_its_own_id_in_another()
    {
        var first = new SeriesIndex();
        var second = new SeriesIndex();
        var shared = L(("__name__", "up"), ("job", "a"));
        var other = L(("__name__", "up"), ("job", "b"));
        var ids = new ulong[2];

        // Registered as id 0 in the first index, 1 in the second: each index answers with its own id.
        Assert.Equal(1, first.GetOrAddAll(new[] { shared }, ids, 0));
        Assert.Equal(0UL, ids[0]);
        Assert.Equal(2, second.GetOrAddAll(new[] { other, shared }, ids, 0));
        Assert.Equal([0UL, 1], ids);
        Assert.Equal(0, first.GetOrAddAll(new[] { shared }, ids.AsSpan(0, 1), 0));
        Assert.Equal(0UL, ids[0]);
        Assert.Equal(0, second.GetOrAddAll(new[] { shared, other }, ids, 0));
        Assert.Equal([1UL, 0], ids);
    }

    [Fact]
    public void An_equal_label_set_built_again_resolves_to_the_registered_series()
    {
        var index = new SeriesIndex();
        var ids = new ulong[3];
        Assert.Equal(2, index.GetOrAddAll(new[] { L(("a", "1")), L(("a", "2")), L(("a", "1")) }, ids, 0));
        Assert.Equal([0UL, 1, 0], ids);

        // Fresh instances (not the index's own) take the locked lookup and find the same ids.
        Assert.Equal(0, index.GetOrAddAll(new[] { L(("a", "2")), L(("a", "1")), L(("a", "3")) }.AsSpan(0, 2), ids, 0));
        Assert.Equal([1UL, 0], ids.AsSpan(0, 2).ToArray());
        Assert.Same(index.LabelsOf(1), index.Canonical(L(("a", "2"))));
    }

    [Fact]
    public void Series_restored_with_gaps_keep_their_ids_and_new_series_follow_the_highest()
    {
        var index = new SeriesIndex();
        index.Restore(5, L(("a", "5")));
        index.Restore(200, L(("a", "200")));
        Assert.Equal(201UL, index.GetOrAdd(L(("a", "new"))));
        Assert.Equal(200UL, index.GetOrAdd(index.LabelsOf(200)));
        Assert.Throws<KeyNotFoundException>(() => index.LabelsOf(6));
        Assert.Throws<KeyNotFoundException>(() => index.LabelsOf(100_000));
    }

    [Fact]
    public void A_set_built_from_sorted_labels_equals_the_one_built_from_any_order()
    {
        var canonical = L(("__name__", "up"), ("job", "api"));
        Assert.Equal(canonical, LabelSet.CreateFromSorted([new("__name__", "up"), new("job", "api")]));

        // Out of order, a repeated name (the later wins) and an empty value are put right as Create does.
        Assert.Equal(canonical, LabelSet.CreateFromSorted([new("job", "api"), new("__name__", "up")]));
        Assert.Equal(canonical, LabelSet.CreateFromSorted([new("__name__", "up"), new("job", "db"), new("job", "api")]));
        Assert.Equal(canonical, LabelSet.CreateFromSorted([new("__name__", "up"), new("env", ""), new("job", "api")]));
        Assert.Same(LabelSet.Empty, LabelSet.CreateFromSorted([]));
    }
}
