using LumaDB.Engine.Metrics;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Turns a selector's label matchers into the series index's matchers.</summary>
public static class SeriesMatchers
{
    /// <summary>One <see cref="SeriesMatcher"/> per label matcher, in order.</summary>
    public static SeriesMatcher[] From(IReadOnlyList<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var result = new SeriesMatcher[matchers.Count];
        for (var i = 0; i < matchers.Count; i++)
        {
            var m = matchers[i];
            var type = m.Type switch
            {
                LabelMatchType.Equal => SeriesMatchType.Equal,
                LabelMatchType.NotEqual => SeriesMatchType.NotEqual,
                LabelMatchType.Regex => SeriesMatchType.Regex,
                _ => SeriesMatchType.NotRegex,
            };
            result[i] = new SeriesMatcher(type, m.Name, m.Value, m.Regex);
        }

        return result;
    }
}
