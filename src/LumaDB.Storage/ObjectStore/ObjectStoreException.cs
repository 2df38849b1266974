namespace LumaDB.Storage.ObjectStore;

/// <summary>What kind of failure an object store reported; tells the caller whether trying later can help.</summary>
public enum ObjectStoreErrorKind
{
    /// <summary>No object under the key.</summary>
    NotFound = 1,

    /// <summary>The store was unreachable or overloaded, still so after the retries.</summary>
    Transient = 2,

    /// <summary>The request can never succeed as made (bad key, bad range, access denied, missing bucket).</summary>
    Permanent = 3,

    /// <summary>The store answered with data that does not match what was stored (size or checksum).</summary>
    Corrupt = 4,
}

/// <summary>The one exception type object stores throw.</summary>
public sealed class ObjectStoreException : Exception
{
    /// <summary>Creates an exception for an operation on <paramref name="key"/>.</summary>
    public ObjectStoreException(ObjectStoreErrorKind kind, string? key, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Key = key;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public ObjectStoreException()
        : this(ObjectStoreErrorKind.Permanent, null, "Object store failure.")
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public ObjectStoreException(string message)
        : this(ObjectStoreErrorKind.Permanent, null, message)
    {
    }

    /// <summary>Creates an exception with a message and cause.</summary>
    public ObjectStoreException(string message, Exception innerException)
        : this(ObjectStoreErrorKind.Permanent, null, message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public ObjectStoreErrorKind Kind { get; }

    /// <summary>The object key involved, when there is one.</summary>
    public string? Key { get; }
}
