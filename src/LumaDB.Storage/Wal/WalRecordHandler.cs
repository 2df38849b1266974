namespace LumaDB.Storage.Wal;

/// <summary>Visits records during replay, in LSN order.</summary>
public delegate void WalRecordHandler(WalRecord record);
