namespace LumaDB.Server.Configuration;

/// <summary>The [sql] section of the options.</summary>
public sealed partial class LumaOptions
{
    /// <summary>[sql]: SQL execution.</summary>
    public SqlSection Sql { get; } = new();
}
