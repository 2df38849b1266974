namespace LumaDB.Storage.ObjectStore;

/// <summary>An object's key and size in bytes.</summary>
/// <param name="Key">Object key.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record ObjectInfo(string Key, long Size);
