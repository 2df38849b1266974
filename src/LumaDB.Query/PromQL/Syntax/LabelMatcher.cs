using System.Text.RegularExpressions;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>The four label matching operators.</summary>
public enum LabelMatchType
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c>, fully anchored</summary>
    Regex,

    /// <summary><c>!~</c>, fully anchored</summary>
    NotRegex,
}

/// <summary>
/// One label matcher of a selector. Regex matchers are compiled once, fully anchored, with dot matching
/// newlines, as Prometheus does (<c>^(?s:re)$</c>). See <see cref="PromRegex"/> for how RE2 syntax is mapped.
/// </summary>
public sealed class LabelMatcher
{
    /// <summary>The label that holds the metric name.</summary>
    public const string MetricNameLabel = "__name__";

    private readonly Regex? _regex;

    private LabelMatcher(LabelMatchType type, string name, string value, Regex? regex)
    {
        Type = type;
        Name = name;
        Value = value;
        _regex = regex;
    }

    /// <summary>The operator.</summary>
    public LabelMatchType Type { get; }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The value or regex source, unquoted.</summary>
    public string Value { get; }

    /// <summary>The compiled anchored regex for <see cref="LabelMatchType.Regex"/> and <see cref="LabelMatchType.NotRegex"/>.</summary>
    public Regex? Regex => _regex;

    /// <summary>Creates a matcher; regexes are compiled here and a bad regex throws <see cref="ArgumentException"/>.</summary>
    public static LabelMatcher Create(LabelMatchType type, string name, string value)
    {
        var regex = type is LabelMatchType.Regex or LabelMatchType.NotRegex ? PromRegex.CompileAnchored(value) : null;
        return new LabelMatcher(type, name, value, regex);
    }

    /// <summary>Whether a label value satisfies the matcher (an absent label has the value "").</summary>
    public bool Matches(string value) => Type switch
    {
        LabelMatchType.Equal => string.Equals(value, Value, StringComparison.Ordinal),
        LabelMatchType.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
        LabelMatchType.Regex => _regex!.IsMatch(value),
        _ => !_regex!.IsMatch(value),
    };

    /// <summary>The operator as written.</summary>
    public static string Symbol(LabelMatchType type) => type switch
    {
        LabelMatchType.Equal => "=",
        LabelMatchType.NotEqual => "!=",
        LabelMatchType.Regex => "=~",
        _ => "!~",
    };

    /// <summary>The matcher in Prometheus's form: <c>name="value"</c>, the name quoted when not a legacy label name.</summary>
    public override string ToString() =>
        GoText.FormatLabelName(Name) + Symbol(Type) + GoText.Quote(Value);
}
