namespace LumaDB.Server.Configuration;

/// <summary>The configuration cannot be used; the message says where and why, and start-up stops.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public ConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a complete, user-facing message and its cause.</summary>
    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
