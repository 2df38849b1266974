using LumaDB.Protocols.Prometheus.Api;

namespace LumaDB.Protocols.Tests.Prometheus.Api;

public sealed class PromApiParamsTests
{
    [Theory]
    [InlineData("1435781451.781", 1435781451781)]
    [InlineData("1435781451", 1435781451000)]
    [InlineData("1.2346", 1235)]
    [InlineData("-1.5", -1500)]
    [InlineData("0", 0)]
    [InlineData("1e3", 1_000_000)]
    [InlineData("2015-07-01T20:10:51.781Z", 1435781451781)]
    [InlineData("2015-07-01T20:10:51Z", 1435781451000)]
    [InlineData("2015-07-01T22:10:51.7819999+02:00", 1435781451781)]
    [InlineData("2015-07-01T19:10:51.781-01:00", 1435781451781)]
    [InlineData("-292273086-05-16T16:47:06Z", PromApiParams.MinTimeMs)]
    [InlineData("292277025-08-18T07:12:54.999999999Z", PromApiParams.MaxTimeMs)]
    public void Timestamps_parse_as_prometheus_reads_them(string text, long expectedMs)
    {
        Assert.True(PromApiParams.TryParseTime(text, out var ms, out var error), error);
        Assert.Equal(expectedMs, ms);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("2015-07-01 20:10:51Z")]
    [InlineData("2015-13-01T20:10:51Z")]
    [InlineData("2015-07-01T20:10:51")]
    [InlineData("NaN")]
    public void Anything_else_is_not_a_timestamp(string text)
    {
        Assert.False(PromApiParams.TryParseTime(text, out _, out var error));
        Assert.Equal($"cannot parse \"{text}\" to a valid timestamp", error);
    }

    [Theory]
    [InlineData("15", 15_000)]
    [InlineData("0.5", 500)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250ms", 250)]
    public void Durations_are_float_seconds_or_prometheus_durations(string text, long expectedMs)
    {
        Assert.True(PromApiParams.TryParseDuration(text, out var ms, out var error), error);
        Assert.Equal(expectedMs, ms);
    }

    [Fact]
    public void Bad_and_overflowing_durations_have_prometheus_messages()
    {
        Assert.False(PromApiParams.TryParseDuration("5 minutes", out _, out var bad));
        Assert.False(PromApiParams.TryParseDuration("1e300", out _, out var overflow));

        Assert.Equal("cannot parse \"5 minutes\" to a valid duration", bad);
        Assert.Equal("cannot parse \"1e300\" to a valid duration. It overflows int64", overflow);
    }
}
