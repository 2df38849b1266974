using System.Text;
using System.Text.RegularExpressions;

namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>What a relabel rule does, as in Prometheus's relabel_config.</summary>
public enum RelabelAction
{
    /// <summary>Sets <see cref="RelabelRule.TargetLabel"/> from the matched source value.</summary>
    Replace,

    /// <summary>Keeps only label sets whose source value matches.</summary>
    Keep,

    /// <summary>Drops label sets whose source value matches.</summary>
    Drop,

    /// <summary>Removes labels whose name matches.</summary>
    LabelDrop,

    /// <summary>Removes labels whose name does not match.</summary>
    LabelKeep,
}

/// <summary>
/// One relabel rule with Prometheus semantics: source label values joined by the separator, matched against a
/// fully anchored regex, and for replace, <c>$1</c>-style references expanded into the target label (an empty
/// result removes the label).
/// </summary>
public sealed class RelabelRule
{
    private readonly Regex _regex;

    /// <summary>Creates a rule; the regex is anchored at both ends as Prometheus anchors it.</summary>
    public RelabelRule(RelabelAction action, IReadOnlyList<string> sourceLabels, string regex = "(.*)", string? targetLabel = null, string replacement = "$1", string separator = ";")
    {
        Action = action;
        SourceLabels = sourceLabels;
        TargetLabel = targetLabel;
        Replacement = replacement;
        Separator = separator;
        _regex = new Regex("^(?:" + regex + ")$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        if (action == RelabelAction.Replace && string.IsNullOrEmpty(targetLabel))
        {
            throw new ArgumentException("a replace rule needs a target label", nameof(targetLabel));
        }
    }

    /// <summary>The action.</summary>
    public RelabelAction Action { get; }

    /// <summary>Labels whose values are joined and matched.</summary>
    public IReadOnlyList<string> SourceLabels { get; }

    /// <summary>The label a replace rule writes.</summary>
    public string? TargetLabel { get; }

    /// <summary>The replacement template.</summary>
    public string Replacement { get; }

    /// <summary>Joins source values.</summary>
    public string Separator { get; }

    /// <summary>
    /// Applies rules in order to a label set (modified in place). Returns false if a rule dropped the set.
    /// </summary>
    public static bool Apply(IReadOnlyList<RelabelRule> rules, SortedDictionary<string, string> labels)
    {
        foreach (var rule in rules)
        {
            if (!rule.ApplyOne(labels))
            {
                return false;
            }
        }

        return true;
    }

    private bool ApplyOne(SortedDictionary<string, string> labels)
    {
        switch (Action)
        {
            case RelabelAction.Keep:
                return _regex.IsMatch(SourceValue(labels));
            case RelabelAction.Drop:
                return !_regex.IsMatch(SourceValue(labels));
            case RelabelAction.LabelDrop:
            case RelabelAction.LabelKeep:
                foreach (var name in labels.Keys.ToList())
                {
                    if (_regex.IsMatch(name) == (Action == RelabelAction.LabelDrop))
                    {
                        labels.Remove(name);
                    }
                }

                return true;
            default:
                var match = _regex.Match(SourceValue(labels));
                if (!match.Success)
                {
                    return true;
                }

                var value = match.Result(Replacement);
                if (value.Length == 0)
                {
                    labels.Remove(TargetLabel!);
                }
                else
                {
                    labels[TargetLabel!] = value;
                }

                return true;
        }
    }

    private string SourceValue(SortedDictionary<string, string> labels)
    {
        if (SourceLabels.Count == 1)
        {
            return labels.GetValueOrDefault(SourceLabels[0], "");
        }

        var joined = new StringBuilder();
        for (var i = 0; i < SourceLabels.Count; i++)
        {
            if (i > 0)
            {
                joined.Append(Separator);
            }

            joined.Append(labels.GetValueOrDefault(SourceLabels[i], ""));
        }

        return joined.ToString();
    }
}
