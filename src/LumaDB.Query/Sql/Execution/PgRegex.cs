using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// A PostgreSQL regular expression compiled to .NET: the ARE is translated once, and compiled patterns are
/// cached so a constant pattern is built once however many rows use it.
/// </summary>
public sealed class PgRegex
{
    private const int CacheLimit = 256;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<(string Pattern, PgRegexFlags Flags), PgRegex> Cache = new();

    [ThreadStatic]
    private static PgRegex? _last;

    private readonly Regex _regex;

    private PgRegex(string pattern, PgRegexFlags flags)
    {
        Pattern = pattern;
        Flags = flags;
        var (translated, groups, effective) = PgRegexTranslator.Translate(pattern, flags);
        GroupCount = groups;
        var options = RegexOptions.CultureInvariant | ((effective & PgRegexFlags.IgnoreCase) != 0 ? RegexOptions.IgnoreCase : RegexOptions.None);
        _regex = new Regex(translated, options, MatchTimeout);
    }

    /// <summary>The PostgreSQL pattern text.</summary>
    public string Pattern { get; }

    /// <summary>The options it was compiled with (without <see cref="PgRegexFlags.Global"/>).</summary>
    public PgRegexFlags Flags { get; }

    /// <summary>The translated .NET pattern, for callers that hand a <see cref="Regex"/> on (it has the match timeout).</summary>
    public Regex Compiled => _regex;

    /// <summary>The number of capturing (parenthesised) subexpressions.</summary>
    public int GroupCount { get; }

    /// <summary>The compiled pattern, from the cache when it was compiled before.</summary>
    /// <exception cref="SqlException">2201B when the pattern is not a valid PostgreSQL regular expression.</exception>
    public static PgRegex Get(string pattern, PgRegexFlags flags)
    {
        flags &= ~PgRegexFlags.Global;
        if (_last is { } last && last.Flags == flags && (ReferenceEquals(last.Pattern, pattern) || last.Pattern == pattern))
        {
            return last;
        }

        if (!Cache.TryGetValue((pattern, flags), out var regex))
        {
            regex = new PgRegex(pattern, flags);
            if (Cache.Count >= CacheLimit)
            {
                Cache.Clear();
            }

            Cache[(pattern, flags)] = regex;
        }

        _last = regex;
        return regex;
    }

    /// <summary>Reads a flags argument such as <c>'gi'</c>, as PostgreSQL's regular-expression functions do.</summary>
    /// <exception cref="SqlException">22023 for a letter that is not an option.</exception>
    public static PgRegexFlags ParseFlags(string? text)
    {
        var flags = PgRegexFlags.None;
        foreach (var c in text ?? string.Empty)
        {
            flags = c == 'g' ? flags | PgRegexFlags.Global
                : WithOption(flags, c) ?? throw new SqlException(SqlState.InvalidParameterValue, $"invalid regular expression option: \"{c}\"");
        }

        return flags;
    }

    /// <summary>
    /// <paramref name="flags"/> with one option letter applied, as both a flags argument and an embedded
    /// <c>(?...)</c> option set it; null for a letter that is not an option.
    /// </summary>
    internal static PgRegexFlags? WithOption(PgRegexFlags flags, char option) => option switch
    {
        'b' => flags | PgRegexFlags.Basic,
        'c' => flags & ~PgRegexFlags.IgnoreCase,
        'e' => flags & ~PgRegexFlags.Basic,
        'i' => flags | PgRegexFlags.IgnoreCase,
        'm' or 'n' => flags | PgRegexFlags.NewlineStopsDot | PgRegexFlags.NewlineAnchors,
        'p' => (flags | PgRegexFlags.NewlineStopsDot) & ~PgRegexFlags.NewlineAnchors,
        'q' => flags | PgRegexFlags.Literal,
        's' => flags & ~(PgRegexFlags.NewlineStopsDot | PgRegexFlags.NewlineAnchors),
        't' => flags & ~PgRegexFlags.Expanded,
        'w' => (flags | PgRegexFlags.NewlineAnchors) & ~PgRegexFlags.NewlineStopsDot,
        'x' => flags | PgRegexFlags.Expanded,
        _ => null,
    };

    /// <summary>Whether the pattern matches anywhere in <paramref name="input"/>.</summary>
    public bool IsMatch(string input)
    {
        try
        {
            return _regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw TimedOut();
        }
    }

    /// <summary>The first match at or after UTF-16 offset <paramref name="start"/> (earlier text still counts for lookbehind and word boundaries).</summary>
    public Match Match(string input, int start)
    {
        try
        {
            return _regex.Match(input, start);
        }
        catch (RegexMatchTimeoutException)
        {
            throw TimedOut();
        }
    }

    /// <summary>
    /// The successive non-overlapping matches from <paramref name="start"/>, as PostgreSQL finds them:
    /// after an empty match the search resumes one character further on.
    /// </summary>
    public IEnumerable<Match> Matches(string input, int start)
    {
        var position = start;
        while (position <= input.Length)
        {
            var match = Match(input, position);
            if (!match.Success)
            {
                yield break;
            }

            yield return match;
            position = match.Length > 0 ? match.Index + match.Length
                : match.Index + (match.Index + 1 < input.Length && char.IsSurrogatePair(input[match.Index], input[match.Index + 1]) ? 2 : 1);
        }
    }

    private static SqlException TimedOut() =>
        new(SqlState.QueryCanceled, "canceling statement due to regular expression match timeout");
}
