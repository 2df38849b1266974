using LumaDB.Engine.Catalog;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Transactions;

/// <summary>What a transaction hands the database at commit: its batch and what to check it against.</summary>
internal sealed class CommitPlan
{
    /// <summary>Everything to apply, catalog rows included: one WAL record.</summary>
    public required WriteBatch Batch { get; init; }

    /// <summary>The snapshot the transaction read at.</summary>
    public required ulong SnapshotSeq { get; init; }

    /// <summary>The committed catalog the transaction started from.</summary>
    public required CatalogSnapshot BaseCatalog { get; init; }

    /// <summary>The catalog to publish when the transaction made DDL; null otherwise.</summary>
    public CatalogSnapshot? Catalog { get; init; }

    /// <summary>Keys of pre-existing tables written one by one: a committed version of any newer than its Since seq is a conflict.</summary>
    public List<(TableLayout Layout, byte[] Key, ulong Since)> Keys { get; } = [];

    /// <summary>Tables changed as a whole (truncated, dropped, rewritten): any commit to them after the snapshot is a conflict.</summary>
    public HashSet<ulong> WholeTables { get; } = [];

    /// <summary>Pre-existing tables whose committed definition must still be the one the transaction saw.</summary>
    public HashSet<ulong> TablesChecked { get; } = [];

    /// <summary>Every table the batch writes.</summary>
    public HashSet<ulong> TablesWritten { get; } = [];
}
