namespace LumaDB.Server.Configuration;

/// <summary>The type of a configuration value, which decides how text and TOML values are read.</summary>
public enum ConfigValueKind
{
    /// <summary>A whole number, optionally bounded.</summary>
    Integer,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>Free text.</summary>
    String,

    /// <summary>One of a fixed set of words.</summary>
    Enum,

    /// <summary>A duration written like <c>500ms</c>, <c>10s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
    Duration,

    /// <summary>An IPv4 or IPv6 address, or empty where the key allows it.</summary>
    Address,

    /// <summary>A byte size written like <c>64MiB</c>, <c>1GB</c> or a plain number of bytes.</summary>
    Size,
}
