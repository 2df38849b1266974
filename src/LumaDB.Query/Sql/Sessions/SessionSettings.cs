using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// A session's run-time settings (PostgreSQL's GUCs): SET, SHOW, RESET, current_setting and set_config read and
/// write them here. Names are case-insensitive. Settings PostgreSQL reports to clients (GUC_REPORT) raise
/// <see cref="ReportedChanged"/> so the wire protocol can send ParameterStatus.
/// </summary>
public sealed class SessionSettings
{
    /// <summary>The setting a wire session records its BackendKeyData process id in, for pg_backend_pid().</summary>
    public const string BackendPidSetting = "luma.backend_pid";

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application_name"] = "",
        ["client_encoding"] = "UTF8",
        ["DateStyle"] = "ISO, MDY",
        ["default_transaction_isolation"] = "read committed",
        ["extra_float_digits"] = "1",
        ["integer_datetimes"] = "on",
        ["IntervalStyle"] = "postgres",
        ["is_superuser"] = "on",
        ["search_path"] = "\"$user\", public",
        ["server_encoding"] = "UTF8",
        ["server_version"] = "15.0",
        ["server_version_num"] = "150000",
        ["standard_conforming_strings"] = "on",
        ["statement_timeout"] = "0",
        ["TimeZone"] = "UTC",
        ["transaction_isolation"] = "read committed",
        ["session_authorization"] = "",
        ["max_identifier_length"] = "63",
        ["lc_messages"] = "C",
        ["lc_monetary"] = "C",
        ["lc_numeric"] = "C",
        ["lc_time"] = "C",
        ["lock_timeout"] = "0",
        ["idle_session_timeout"] = "0",
        ["idle_in_transaction_session_timeout"] = "0",
        ["password_encryption"] = "scram-sha-256",
    };

    private static readonly HashSet<string> Reported = new(StringComparer.OrdinalIgnoreCase)
    {
        "application_name", "client_encoding", "DateStyle", "default_transaction_read_only", "in_hot_standby",
        "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding", "server_version",
        "session_authorization", "standard_conforming_strings", "TimeZone",
    };

    private static readonly HashSet<string> ReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "server_version", "server_version_num", "server_encoding", "integer_datetimes", "max_identifier_length", "is_superuser",
    };

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _startup = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Counts changes to any setting, so a reader that parses a value (a timeout read before every statement) can
    /// keep it until the count moves instead of looking the name up each time.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>Raised with (name, value) when a reported setting changes.</summary>
    public event Action<string, string>? ReportedChanged;

    /// <summary>Applies a start-up parameter (from the client's StartupMessage or the server); RESET returns to it.</summary>
    public void SetStartup(string name, string value)
    {
        _startup[name] = value;
        _values[name] = value;
        Version++;
    }

    /// <summary>The value of <paramref name="name"/>, or null when no such setting exists.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name, out var value) ? value : Defaults.TryGetValue(name, out var fallback) ? fallback : null;

    /// <summary>Sets <paramref name="name"/> (SET, set_config).</summary>
    /// <exception cref="ArgumentException">The setting is read-only.</exception>
    public void Set(string name, string value)
    {
        if (ReadOnly.Contains(name))
        {
            throw new ArgumentException($"parameter \"{name}\" cannot be changed", nameof(name));
        }

        var before = Get(name);
        _values[name] = value;
        Version++;
        if (Reported.Contains(name) && before != value)
        {
            ReportedChanged?.Invoke(CanonicalName(name), value);
        }
    }

    /// <summary>Returns <paramref name="name"/> to its start-up or default value (RESET).</summary>
    public void Reset(string name)
    {
        if (_startup.TryGetValue(name, out var startup))
        {
            Set(name, startup);
        }
        else if (Defaults.TryGetValue(name, out var fallback))
        {
            Set(name, fallback);
        }
        else if (_values.Remove(name))
        {
            Version++;
        }
    }

    /// <summary>Every setting with its current value (SHOW ALL), sorted by name.</summary>
    public IEnumerable<KeyValuePair<string, string>> All()
    {
        var all = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Defaults)
        {
            all[name] = value;
        }

        foreach (var (name, value) in _values)
        {
            all[name] = value;
        }

        return all;
    }

    /// <summary>The reported settings and their values, for the start-up ParameterStatus messages.</summary>
    public IEnumerable<KeyValuePair<string, string>> ReportedValues() =>
        All().Where(kv => Reported.Contains(kv.Key)).Select(kv => new KeyValuePair<string, string>(CanonicalName(kv.Key), kv.Value));

    private static string CanonicalName(string name)
    {
        foreach (var known in Reported)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return name;
    }

    /// <summary>Whether <paramref name="name"/> is a timeout setting whose value <see cref="ParseTimeout"/> reads.</summary>
    public static bool IsTimeout(string name) =>
        name.Equals("lock_timeout", StringComparison.OrdinalIgnoreCase)
        || name.Equals("statement_timeout", StringComparison.OrdinalIgnoreCase)
        || name.Equals("idle_session_timeout", StringComparison.OrdinalIgnoreCase)
        || name.Equals("idle_in_transaction_session_timeout", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A timeout setting as PostgreSQL writes it: a bare number is milliseconds, or a number with ms, s, min or h;
    /// 0 turns the timeout off.
    /// </summary>
    /// <exception cref="SqlException">The value is not a non-negative duration (22023).</exception>
    public static TimeSpan ParseTimeout(string name, string? text)
    {
        var value = (text ?? "0").Trim().ToLowerInvariant();
        (string Suffix, double Scale)[] units = [("ms", 1), ("min", 60_000), ("s", 1000), ("h", 3_600_000)];
        var scale = 1.0;
        foreach (var (suffix, factor) in units)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value[..^suffix.Length].Trim();
                scale = factor;
                break;
            }
        }

        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number < 0 || number * scale > int.MaxValue)
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"invalid value for parameter \"{name}\": \"{text}\"");
        }

        return TimeSpan.FromMilliseconds(number * scale);
    }
}
