namespace LumaDB.Storage.Memtables;

/// <summary>Result of a point lookup in a memtable.</summary>
public enum MemtableLookup
{
    /// <summary>No version of the key at or below the snapshot: look in older data.</summary>
    NotFound = 0,

    /// <summary>The newest visible version is a row.</summary>
    Found = 1,

    /// <summary>The newest visible version is a tombstone: the key is deleted, do not look further.</summary>
    Deleted = 2,
}
