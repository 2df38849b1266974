namespace LumaDB.Query.PromQL.Engine;

/// <summary>Prometheus's staleness marker: a NaN with one specific bit pattern that ends a series.</summary>
internal static class StaleMarker
{
    public const ulong Bits = 0x7ff0000000000002;

    public static bool Is(double value) => BitConverter.DoubleToUInt64Bits(value) == Bits;
}
