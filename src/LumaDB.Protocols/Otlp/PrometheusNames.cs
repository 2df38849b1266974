using System.Text;

namespace LumaDB.Protocols.Otlp;

/// <summary>
/// OpenTelemetry metric and attribute names in Prometheus form, after the OpenTelemetry-to-Prometheus
/// compatibility rules: invalid characters become '_', the unit becomes a suffix (<c>s</c> → <c>_seconds</c>,
/// <c>By/s</c> → <c>_bytes_per_second</c>), monotonic sums end in <c>_total</c> and unit-1 gauges in <c>_ratio</c>.
/// </summary>
public static class PrometheusNames
{
    /// <summary>The Prometheus metric name of an OTLP metric.</summary>
    public static string MetricName(string name, string unit, bool isCounter, bool isGauge)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = new List<string> { Sanitize(name, allowColon: true) };
        var unitSuffix = UnitSuffix(unit ?? "");
        if (unitSuffix.Length > 0 && !parts[0].EndsWith("_" + unitSuffix, StringComparison.Ordinal) && !parts[0].Contains("_" + unitSuffix + "_", StringComparison.Ordinal))
        {
            parts.Add(unitSuffix);
        }

        if (isGauge && unit == "1" && !parts[0].EndsWith("_ratio", StringComparison.Ordinal))
        {
            parts.Add("ratio");
        }

        var joined = string.Join('_', parts);
        if (isCounter)
        {
            joined = joined.EndsWith("_total", StringComparison.Ordinal) ? joined : joined + "_total";
        }

        return joined;
    }

    /// <summary>An attribute key as a Prometheus label name.</summary>
    public static string LabelName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = Sanitize(key, allowColon: false);
        return name.Length > 0 && char.IsAsciiDigit(name[0]) ? "key_" + name : name;
    }

    /// <summary>The name suffix for an OTLP (UCUM) unit; empty for none, "1" and annotations such as {request}.</summary>
    public static string UnitSuffix(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var withoutAnnotations = RemoveAnnotations(unit).Trim();
        if (withoutAnnotations.Length == 0 || withoutAnnotations == "1")
        {
            return "";
        }

        var slash = withoutAnnotations.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Sanitize(UnitWord(withoutAnnotations), allowColon: false).Trim('_');
        }

        var main = withoutAnnotations[..slash];
        var per = withoutAnnotations[(slash + 1)..];
        var mainWord = main.Length == 0 || main == "1" ? "" : Sanitize(UnitWord(main), allowColon: false).Trim('_');
        var perWord = Sanitize(PerWord(per), allowColon: false).Trim('_');
        return perWord.Length == 0 ? mainWord : mainWord.Length == 0 ? "per_" + perWord : mainWord + "_per_" + perWord;
    }

    private static string UnitWord(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "TiBy" => "tibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "TBy" => "terabytes",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "%" => "percent",
        _ => unit,
    };

    private static string PerWord(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => UnitWord(unit),
    };

    private static string RemoveAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var text = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>Replaces characters outside [a-zA-Z0-9_] (and ':' when allowed) with '_', collapsing runs of '_'.</summary>
    private static string Sanitize(string name, bool allowColon)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = ok ? c : '_';
            if (next == '_' && text.Length > 0 && text[^1] == '_')
            {
                continue;
            }

            text.Append(next);
        }

        if (text.Length > 0 && char.IsAsciiDigit(text[0]) && allowColon)
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }
}
