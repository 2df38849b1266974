namespace LumaDB.Storage.ObjectStore;

/// <summary>Rules every object key follows, so that keys map safely onto file paths as well as S3 keys.</summary>
internal static class ObjectKeys
{
    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 1024 || key.StartsWith('/') || key.EndsWith('/') || key.Contains('\\', StringComparison.Ordinal)
            || key.Split('/').Any(part => part.Length == 0 || part == "." || part == ".."))
        {
            throw new ObjectStoreException(ObjectStoreErrorKind.Permanent, key, $"'{key}' is not a valid object key.");
        }
    }
}
