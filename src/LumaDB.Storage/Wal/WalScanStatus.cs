namespace LumaDB.Storage.Wal;

/// <summary>Outcome of reading the next record of a segment.</summary>
internal enum WalScanStatus
{
    /// <summary>A valid record was read.</summary>
    Record = 0,

    /// <summary>The segment ended exactly at a record boundary.</summary>
    End = 1,

    /// <summary>The bytes at the current offset are not a valid record (see the reason).</summary>
    Invalid = 2,
}
