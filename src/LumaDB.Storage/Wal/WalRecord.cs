namespace LumaDB.Storage.Wal;

/// <summary>One record read back from the log; its payload is only valid during the visit.</summary>
public readonly ref struct WalRecord
{
    /// <summary>Creates a record view.</summary>
    public WalRecord(ulong lsn, byte type, ReadOnlySpan<byte> payload)
    {
        Lsn = lsn;
        Type = type;
        Payload = payload;
    }

    /// <summary>Log sequence number: consecutive, starting at 1.</summary>
    public ulong Lsn { get; }

    /// <summary>Record type chosen by the writer (the log does not interpret it).</summary>
    public byte Type { get; }

    /// <summary>The payload bytes.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}
