namespace LumaDB.Server.Configuration;

/// <summary>The [promql] section of the options.</summary>
public sealed partial class LumaOptions
{
    /// <summary>[promql]: PromQL query limits.</summary>
    public PromQLSection PromQL { get; } = new();
}
