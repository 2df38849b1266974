namespace LumaDB.Engine.Hosting;

/// <summary>The data directory cannot be used; start-up stops with the message.</summary>
public sealed class DataDirectoryException : Exception
{
    /// <summary>Creates the exception with a user-facing message and its cause.</summary>
    public DataDirectoryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
