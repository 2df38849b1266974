using System.Text.RegularExpressions;

namespace LumaDB.Engine.Metrics;

/// <summary>The four label matching operators.</summary>
public enum SeriesMatchType
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c> (the regex must be fully anchored)</summary>
    Regex,

    /// <summary><c>!~</c> (the regex must be fully anchored)</summary>
    NotRegex,
}

/// <summary>
/// A label matcher as the index evaluates it. Regex matchers take an already compiled, fully anchored regex,
/// so the query layer decides the dialect. An absent label has the value "".
/// </summary>
public sealed class SeriesMatcher
{
    private readonly Regex? _regex;

    /// <summary>Creates a matcher; <paramref name="regex"/> is required for the regex operators.</summary>
    public SeriesMatcher(SeriesMatchType type, string name, string value, Regex? regex = null)
    {
        if (type is SeriesMatchType.Regex or SeriesMatchType.NotRegex)
        {
            ArgumentNullException.ThrowIfNull(regex);
        }

        Type = type;
        Name = name;
        Value = value;
        _regex = regex;
    }

    /// <summary>The operator.</summary>
    public SeriesMatchType Type { get; }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The value or regex source.</summary>
    public string Value { get; }

    /// <summary>Whether <paramref name="value"/> satisfies the matcher.</summary>
    public bool Matches(string value) => Type switch
    {
        SeriesMatchType.Equal => string.Equals(value, Value, StringComparison.Ordinal),
        SeriesMatchType.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
        SeriesMatchType.Regex => _regex!.IsMatch(value),
        _ => !_regex!.IsMatch(value),
    };
}
