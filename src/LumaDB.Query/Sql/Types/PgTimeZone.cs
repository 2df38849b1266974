using System.Collections.Concurrent;

namespace LumaDB.Query.Sql.Types;

/// <summary>
/// A time zone as <c>AT TIME ZONE</c>, <c>timezone()</c> and <c>make_timestamptz</c> name it: a fixed offset
/// (an abbreviation such as <c>EST</c>, a POSIX-style offset such as <c>UTC+3</c>, an interval) or a tz database
/// zone (<c>Europe/Berlin</c>) with its historical rules. Offsets are seconds east of Greenwich.
/// </summary>
public sealed class PgTimeZone
{
    /// <summary>The longest a zone name stays cached; beyond this many names, lookups are repeated instead.</summary>
    private const int CacheLimit = 1024;

    /// <summary>Transitions are far apart, so looking a day and a half either side finds the offsets around one.</summary>
    private const long TransitionReach = 36 * SqlInterval.MicrosPerHour;

    private static readonly ConcurrentDictionary<string, PgTimeZone?> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<Dictionary<string, string>> ZoneIds = new(LoadZoneIds);
    private static readonly long MinLookup = (new DateTime(1, 1, 2, 0, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    private static readonly long MaxLookup = (new DateTime(9999, 12, 30, 0, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private readonly TimeZoneInfo? _zone;
    private readonly int _fixedSeconds;

    private PgTimeZone(TimeZoneInfo? zone, int fixedSeconds)
    {
        _zone = zone;
        _fixedSeconds = fixedSeconds;
    }

    /// <summary>UTC.</summary>
    public static PgTimeZone Utc { get; } = new(null, 0);

    /// <summary>A fixed offset of <paramref name="secondsEast"/> seconds east of UTC.</summary>
    public static PgTimeZone Fixed(int secondsEast) => secondsEast == 0 ? Utc : new PgTimeZone(null, secondsEast);

    /// <summary>
    /// Resolves a zone name as <c>AT TIME ZONE</c> does: a time zone abbreviation first, then a tz database name
    /// (case-insensitive), then a POSIX offset, whose sign counts west of Greenwich (<c>'+02'</c> is two hours behind UTC).
    /// </summary>
    /// <exception cref="SqlException">22023 when the name is none of these.</exception>
    public static PgTimeZone Resolve(string name)
    {
        if (Cache.TryGetValue(name, out var cached))
        {
            return cached ?? throw NotRecognized(name);
        }

        var zone = Lookup(name);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(name, zone);
        }

        return zone ?? throw NotRecognized(name);
    }

    /// <summary>
    /// Resolves the zone argument of make_timestamptz: a leading sign means an ISO-8601 offset east of Greenwich
    /// (<c>'+02'</c>, <c>'-05:30'</c>, <c>'+0230'</c>), a leading digit is refused, anything else is a name as for <see cref="Resolve"/>.
    /// </summary>
    public static PgTimeZone ResolveNumericFirst(string name)
    {
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"invalid input syntax for type numeric time zone: \"{name}\"");
        }

        if (name.Length == 0 || name[0] is not ('+' or '-'))
        {
            return Resolve(name);
        }

        var digits = name.AsSpan(1);
        int hours, minutes = 0, seconds = 0;
        var ok = digits.Contains(':')
            ? TryReadColonOffset(digits, out hours, out minutes, out seconds)
            : TryReadPackedOffset(digits, out hours, out minutes, out seconds);
        if (!ok)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"invalid input syntax for type numeric time zone: \"{name}\"");
        }

        if (hours > 15 || minutes > 59 || seconds > 59)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"numeric time zone \"{name}\" out of range");
        }

        var east = (hours * 3600) + (minutes * 60) + seconds;
        return Fixed(name[0] == '-' ? -east : east);
    }

    /// <summary>An interval used as a zone: its time part, in whole seconds, east of UTC.</summary>
    public static PgTimeZone FromInterval(SqlInterval interval)
    {
        if (interval.Months != 0 || interval.Days != 0)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"interval time zone \"{SqlText.FormatInterval(interval)}\" must not include months or days");
        }

        return Fixed((int)(interval.Microseconds / SqlCalendar.MicrosPerSecond));
    }

    /// <summary>The zone's offset from UTC, in seconds east, at the UTC instant <paramref name="utcMicros"/>.</summary>
    public int OffsetAt(long utcMicros)
    {
        if (_zone is null)
        {
            return _fixedSeconds;
        }

        // Outside DateTime's years 1 to 9999 the rules at the nearer end hold.
        var clamped = Math.Clamp(utcMicros, MinLookup, MaxLookup);
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + (clamped * TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);
        return (int)(_zone.GetUtcOffset(utc).Ticks / TimeSpan.TicksPerSecond);
    }

    /// <summary>The local wall-clock time (as timestamp microseconds) of a UTC instant; infinities stay.</summary>
    public long ToLocal(long utcMicros) => utcMicros is SqlCalendar.TimestampInfinity or SqlCalendar.TimestampNegativeInfinity
        ? utcMicros
        : checked(utcMicros + (OffsetAt(utcMicros) * SqlCalendar.MicrosPerSecond));

    /// <summary>
    /// The UTC instant of a local wall-clock time. A time skipped by a forward jump takes the offset in force
    /// before the jump, a time repeated by a backward jump the offset after it, as PostgreSQL resolves them.
    /// </summary>
    public long ToUtc(long localMicros)
    {
        if (localMicros is SqlCalendar.TimestampInfinity or SqlCalendar.TimestampNegativeInfinity)
        {
            return localMicros;
        }

        if (_zone is null)
        {
            return checked(localMicros - (_fixedSeconds * SqlCalendar.MicrosPerSecond));
        }

        var near = Math.Clamp(localMicros, MinLookup + TransitionReach, MaxLookup - TransitionReach);
        var before = OffsetAt(near - TransitionReach);
        var after = OffsetAt(near + TransitionReach);
        var early = checked(localMicros - (before * SqlCalendar.MicrosPerSecond));
        if (before == after)
        {
            return early;
        }

        var late = checked(localMicros - (after * SqlCalendar.MicrosPerSecond));
        return OffsetAt(late) == after ? late : early;
    }

    private static SqlException NotRecognized(string name) => new(SqlState.InvalidParameterValue, $"time zone \"{name}\" not recognized");

    private static PgTimeZone? Lookup(string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        if (PgTimeZoneAbbreviations.FixedOffsets.TryGetValue(name.ToLowerInvariant(), out var abbreviation))
        {
            return Fixed(abbreviation);
        }

        if (FindZone(name) is { } zone)
        {
            return new PgTimeZone(zone, 0);
        }

        return TryParsePosix(name, out var west) ? Fixed(-west) : null;
    }

    private static TimeZoneInfo? FindZone(string name)
    {
        // A tz database name is a relative file name; anything else must not reach the file lookup.
        if (name.Contains("..", StringComparison.Ordinal) || name[0] is '/' or '\\' || name.Contains('\\', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
        {
            return null;
        }

        if (!ZoneIds.Value.TryGetValue(name, out var id))
        {
            id = name;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The installed zone ids by case-insensitive name, since PostgreSQL matches zone names without regard to case.</summary>
    private static Dictionary<string, string> LoadZoneIds()
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones(skipSorting: true))
        {
            ids.TryAdd(zone.Id, zone.Id);
        }

        // Linux keeps the tz database as files; GetSystemTimeZones lists only the geographic ones (no Etc/GMT+2, EST5EDT).
        var root = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } dir ? dir : "/usr/share/zoneinfo";
        try
        {
            if (Directory.Exists(root))
            {
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                {
                    var id = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                    if (!id.Contains('.', StringComparison.Ordinal) && char.IsAsciiLetterUpper(id[0]))
                    {
                        ids.TryAdd(id, id);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable directory leaves only the names GetSystemTimeZones gave.
        }

        return ids;
    }

    /// <summary>
    /// A POSIX TZ offset without daylight-saving rules: an optional name (three or more letters, or
    /// <c>&lt;...&gt;</c>), then <c>[+|-]hh[:mm[:ss]]</c> counted west of Greenwich, hours up to 167.
    /// </summary>
    private static bool TryParsePosix(string text, out int secondsWest)
    {
        secondsWest = 0;
        var pos = 0;
        if (text[0] == '<')
        {
            var close = text.IndexOf('>', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            pos = close + 1;
        }
        else
        {
            while (pos < text.Length && char.IsAsciiLetter(text[pos]))
            {
                pos++;
            }

            if (pos is > 0 and < 3)
            {
                return false;
            }
        }

        var sign = 1;
        if (pos < text.Length && text[pos] is '+' or '-')
        {
            sign = text[pos] == '-' ? -1 : 1;
            pos++;
        }

        if (!TryReadColonOffset(text.AsSpan(pos), out var hours, out var minutes, out var seconds) || hours > 167 || minutes > 59 || seconds > 59)
        {
            return false;
        }

        secondsWest = sign * ((hours * 3600) + (minutes * 60) + seconds);
        return true;
    }

    /// <summary>Reads <c>h[h][:mm[:ss]]</c> to the end of <paramref name="text"/>.</summary>
    private static bool TryReadColonOffset(ReadOnlySpan<char> text, out int hours, out int minutes, out int seconds)
    {
        hours = minutes = seconds = 0;
        var parts = 0;
        var pos = 0;
        Span<int> values = stackalloc int[3];
        while (parts < 3)
        {
            var start = pos;
            var value = 0;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]) && pos - start < 3)
            {
                value = (value * 10) + (text[pos] - '0');
                pos++;
            }

            if (pos == start || (parts > 0 && pos - start != 2))
            {
                return false;
            }

            values[parts++] = value;
            if (pos == text.Length)
            {
                break;
            }

            if (text[pos] != ':')
            {
                return false;
            }

            pos++;
        }

        if (pos != text.Length)
        {
            return false;
        }

        (hours, minutes, seconds) = (values[0], values[1], values[2]);
        return true;
    }

    /// <summary>Reads an ISO offset written without colons: <c>h</c>, <c>hh</c>, <c>hhmm</c> or <c>hhmmss</c>.</summary>
    private static bool TryReadPackedOffset(ReadOnlySpan<char> text, out int hours, out int minutes, out int seconds)
    {
        hours = minutes = seconds = 0;
        if (text.Length is not (1 or 2 or 4 or 6))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var value = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        (hours, minutes, seconds) = text.Length switch
        {
            6 => (value / 10000, value / 100 % 100, value % 100),
            4 => (value / 100, value % 100, 0),
            _ => (value, 0, 0),
        };
        return true;
    }
}
