using System.Buffers;
using System.Text;
using System.Text.Json;
using LumaDB.Protocols.Prometheus.Api;

namespace LumaDB.Protocols.Tests.Prometheus;

public sealed class PromApiWriterTests
{
    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = PromApiWriter.CreateWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static KeyValuePair<string, string> L(string name, string value) => new(name, value);

    [Fact]
    public void An_instant_vector_has_prometheus_shape()
    {
        var json = Write(w => PromApiWriter.WriteVector(w,
        [
            new PromSeries([L("__name__", "up"), L("instance", "localhost:9090"), L("job", "prometheus")], [(1435781451781, 1)]),
            new PromSeries([L("__name__", "up"), L("instance", "localhost:9100"), L("job", "node")], [(1435781451781, 0)]),
        ]));

        Assert.Equal(
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"localhost:9090","job":"prometheus"},"value":[1435781451.781,"1"]},{"metric":{"__name__":"up","instance":"localhost:9100","job":"node"},"value":[1435781451.781,"0"]}]}}""",
            json);
    }

    [Fact]
    public void A_matrix_lists_every_point_and_warnings_follow_data()
    {
        var json = Write(w => PromApiWriter.WriteMatrix(w,
            [new PromSeries([L("job", "node")], [(1435781430000, 1), (1435781445000, 0.5)])],
            warnings: ["PromQL info: metric might not be a counter"]));

        Assert.Equal(
            """{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"node"},"values":[[1435781430,"1"],[1435781445,"0.5"]]}]},"warnings":["PromQL info: metric might not be a counter"]}""",
            json);
    }

    [Fact]
    public void Scalars_strings_and_errors_have_prometheus_shape()
    {
        Assert.Equal("""{"status":"success","data":{"resultType":"scalar","result":[1.5,"+Inf"]}}""", Write(w => PromApiWriter.WriteScalar(w, 1500, double.PositiveInfinity)));
        Assert.Equal("""{"status":"success","data":{"resultType":"string","result":[0,"héllo \"x\""]}}""", Write(w => PromApiWriter.WriteString(w, 0, "héllo \"x\"")));
        Assert.Equal("""{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}""",
            Write(w => PromApiWriter.WriteError(w, PromErrorType.BadData, "1:5: parse error: unexpected end of input")));
        Assert.Equal(400, PromErrorTypes.StatusCode(PromErrorType.BadData));
        Assert.Equal(422, PromErrorTypes.StatusCode(PromErrorType.Execution));
        Assert.Equal(503, PromErrorTypes.StatusCode(PromErrorType.Timeout));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1.5e-7, "0.00000015")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(-0.0, "-0")]
    public void Values_are_shortest_plain_decimals_like_go_formats_them(double value, string expected)
    {
        Assert.Equal(expected, PromValueFormat.Value(value));

        // The UTF-8 fast path either writes the same text or declines.
        Span<byte> buffer = stackalloc byte[32];
        if (PromValueFormat.TryFormatValue(value, buffer, out var written))
        {
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(buffer[..written]));
        }
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1500L, "1.5")]
    [InlineData(1_700_000_000_123L, "1700000000.123")]
    [InlineData(1_700_000_000_120L, "1700000000.12")]
    [InlineData(1_700_000_000_005L, "1700000000.005")]
    [InlineData(1_700_000_000_000L, "1700000000")]
    public void Point_timestamps_are_seconds_with_up_to_three_decimals(long milliseconds, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];
        Assert.True(PromValueFormat.TryFormatSeconds(milliseconds, buffer, out var written));
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(buffer[..written]));
    }
}
