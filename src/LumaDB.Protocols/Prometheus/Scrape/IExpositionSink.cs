using LumaDB.Protocols.Prometheus.RemoteWrite;

namespace LumaDB.Protocols.Prometheus.Scrape;

/// <summary>
/// Receives what a scrape body holds. Label spans point into a scratch buffer that the parser reuses for the
/// next line, so a sink copies what it keeps. Labels include <c>__name__</c> and arrive sorted by name.
/// </summary>
public interface IExpositionSink
{
    /// <summary>A <c># HELP</c> line (text unescaped).</summary>
    void Help(ReadOnlySpan<byte> family, ReadOnlySpan<byte> help);

    /// <summary>A <c># TYPE</c> line.</summary>
    void Type(ReadOnlySpan<byte> family, MetricType type);

    /// <summary>A <c># UNIT</c> line (OpenMetrics).</summary>
    void Unit(ReadOnlySpan<byte> family, ReadOnlySpan<byte> unit);

    /// <summary>A sample; <paramref name="timestampMs"/> is null when the line carries none.</summary>
    void Sample(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs);

    /// <summary>An exemplar attached to the sample just reported (OpenMetrics).</summary>
    void Exemplar(ReadOnlySpan<byte> buffer, ReadOnlySpan<LabelRef> labels, double value, long? timestampMs);
}
