using System.Text.Json;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>A series in a query result: its labels (sorted by name) and its points.</summary>
public sealed record PromSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<(long TimestampMs, double Value)> Points);

/// <summary>
/// Writes Prometheus HTTP API envelopes and query results with <see cref="Utf8JsonWriter"/> (no reflection),
/// in the same shapes Prometheus produces: <c>{"status":"success","data":{"resultType":...,"result":...}}</c>,
/// <c>{"status":"error","errorType":...,"error":...}</c>, with optional <c>warnings</c> and <c>infos</c>.
/// </summary>
public static partial class PromApiWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Prometheus writes "+Inf" and label values as they are; the default encoder would escape '+' and non-ASCII.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>A JSON writer configured to escape exactly as Prometheus does.</summary>
    public static Utf8JsonWriter CreateWriter(System.Buffers.IBufferWriter<byte> output) => new(output, Options);

    /// <summary>An instant vector: one point per series.</summary>
    public static void WriteVector(Utf8JsonWriter json, IEnumerable<PromSeries> series, IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? infos = null)
    {
        BeginSuccess(json, "vector");
        foreach (var s in series)
        {
            json.WriteStartObject();
            WriteMetric(json, s.Labels);
            json.WritePropertyName("value"u8);
            WritePoint(json, s.Points[0]);
            json.WriteEndObject();
        }

        EndSuccess(json, warnings, infos);
    }

    /// <summary>A range vector (matrix): all points per series.</summary>
    public static void WriteMatrix(Utf8JsonWriter json, IEnumerable<PromSeries> series, IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? infos = null)
    {
        BeginSuccess(json, "matrix");
        foreach (var s in series)
        {
            json.WriteStartObject();
            WriteMetric(json, s.Labels);
            json.WriteStartArray("values"u8);
            foreach (var point in s.Points)
            {
                WritePoint(json, point);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        EndSuccess(json, warnings, infos);
    }

    /// <summary>A scalar result.</summary>
    public static void WriteScalar(Utf8JsonWriter json, long timestampMs, double value)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("resultType"u8, "scalar"u8);
        json.WritePropertyName("result"u8);
        WritePoint(json, (timestampMs, value));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A string result.</summary>
    public static void WriteString(Utf8JsonWriter json, long timestampMs, string value)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("resultType"u8, "string"u8);
        json.WriteStartArray("result"u8);
        json.WriteNumberValue(PromValueFormat.Seconds(timestampMs));
        json.WriteStringValue(value);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A success envelope around a list of strings (labels, label values).</summary>
    public static void WriteStringList(Utf8JsonWriter json, IEnumerable<string> values, IReadOnlyList<string>? warnings = null)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartArray("data"u8);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
        WriteNotes(json, "warnings"u8, warnings);
        json.WriteEndObject();
    }

    /// <summary>An error envelope; the caller sets the HTTP status from <see cref="PromErrorTypes.StatusCode"/>.</summary>
    public static void WriteError(Utf8JsonWriter json, PromErrorType type, string message)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "error"u8);
        json.WriteString("errorType"u8, PromErrorTypes.Name(type));
        json.WriteString("error"u8, message);
        json.WriteEndObject();
    }

    private static void BeginSuccess(Utf8JsonWriter json, string resultType)
    {
        json.WriteStartObject();
        json.WriteString("status"u8, "success"u8);
        json.WriteStartObject("data"u8);
        json.WriteString("resultType"u8, resultType);
        json.WriteStartArray("result"u8);
    }

    private static void EndSuccess(Utf8JsonWriter json, IReadOnlyList<string>? warnings, IReadOnlyList<string>? infos)
    {
        json.WriteEndArray();
        json.WriteEndObject();
        WriteNotes(json, "warnings"u8, warnings);
        WriteNotes(json, "infos"u8, infos);
        json.WriteEndObject();
    }

    private static void WriteNotes(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<string>? notes)
    {
        if (notes is not { Count: > 0 })
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var note in notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
    }

    private static void WriteMetric(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        json.WriteStartObject("metric"u8);
        foreach (var (name, value) in labels)
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
    }

    // A range answer is mostly points: both halves are formatted straight into UTF-8, without a string each.
    private static void WritePoint(Utf8JsonWriter json, (long TimestampMs, double Value) point)
    {
        Span<byte> buffer = stackalloc byte[32];
        json.WriteStartArray();
        if (PromValueFormat.TryFormatSeconds(point.TimestampMs, buffer, out var written))
        {
            json.WriteRawValue(buffer[..written], skipInputValidation: true);
        }
        else
        {
            json.WriteNumberValue(PromValueFormat.Seconds(point.TimestampMs));
        }

        if (PromValueFormat.TryFormatValue(point.Value, buffer, out written))
        {
            json.WriteStringValue(buffer[..written]);
        }
        else
        {
            json.WriteStringValue(PromValueFormat.Value(point.Value));
        }

        json.WriteEndArray();
    }
}
