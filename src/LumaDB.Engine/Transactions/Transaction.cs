using Apache.Arrow;
using LumaDB.Engine.Catalog;
using LumaDB.Storage.Segments;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// One transaction on a shard: reads at a fixed snapshot (seeing its own writes), buffers writes and DDL,
/// and at commit either applies all of it as one WAL record or none of it. Not thread-safe: one session
/// drives it.
/// </summary>
public sealed class Transaction : IAsyncDisposable
{
    // CONTRACT: filled in by the transaction implementation.

    /// <summary>The commit sequence the transaction reads at.</summary>
    public ulong SnapshotSeq => throw new NotImplementedException();

    /// <summary>True until commit, rollback or dispose.</summary>
    public bool IsActive => throw new NotImplementedException();

    /// <summary>The catalog as this transaction sees it (its own DDL included).</summary>
    public CatalogSnapshot Catalog => throw new NotImplementedException();

    /// <summary>The row with <paramref name="primaryKey"/> (the key encoding of <see cref="Storage.Shards.TableLayout"/>, without table prefix), in the storage row encoding, or null.</summary>
    public ValueTask<byte[]?> GetAsync(TableDefinition table, ReadOnlyMemory<byte> primaryKey, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Rows of <paramref name="table"/> visible to this transaction (own writes merged), in primary-key order, as Arrow batches of the layout's schema (or the scan's projection).</summary>
    public IAsyncEnumerable<RecordBatch> ScanAsync(TableDefinition table, SegmentScan? scan = null, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Inserts or replaces a row (storage row encoding for <paramref name="table"/>'s layout).</summary>
    public void Put(TableDefinition table, ReadOnlySpan<byte> row) => throw new NotImplementedException();

    /// <summary>Deletes the row with <paramref name="primaryKey"/>.</summary>
    public void Delete(TableDefinition table, ReadOnlySpan<byte> primaryKey) => throw new NotImplementedException();

    /// <summary>Deletes every row of <paramref name="table"/> (TRUNCATE).</summary>
    public void Truncate(TableDefinition table) => throw new NotImplementedException();

    /// <summary>Creates a table; the returned definition carries its new id.</summary>
    /// <exception cref="CatalogException">It exists, or the definition is invalid.</exception>
    public TableDefinition CreateTable(TableDefinition definition) => throw new NotImplementedException();

    /// <summary>Replaces a table's definition (ALTER TABLE); existing rows are rewritten to the new layout at commit.</summary>
    public TableDefinition AlterTable(TableDefinition current, TableDefinition altered) => throw new NotImplementedException();

    /// <summary>Drops a table and its indexes and rows.</summary>
    public void DropTable(TableDefinition table) => throw new NotImplementedException();

    /// <summary>Creates a schema.</summary>
    public void CreateSchema(string name) => throw new NotImplementedException();

    /// <summary>Drops an empty schema (or, with <paramref name="cascade"/>, everything in it).</summary>
    public void DropSchema(string name, bool cascade) => throw new NotImplementedException();

    /// <summary>Creates a view.</summary>
    public ViewDefinition CreateView(ViewDefinition definition, bool orReplace) => throw new NotImplementedException();

    /// <summary>Drops a view.</summary>
    public void DropView(ViewDefinition view) => throw new NotImplementedException();

    /// <summary>Creates an index.</summary>
    public IndexDefinition CreateIndex(IndexDefinition definition) => throw new NotImplementedException();

    /// <summary>Drops an index.</summary>
    public void DropIndex(IndexDefinition index) => throw new NotImplementedException();

    /// <summary>Creates or replaces a role.</summary>
    public void PutRole(RoleDefinition role) => throw new NotImplementedException();

    /// <summary>Drops a role.</summary>
    public void DropRole(string name) => throw new NotImplementedException();

    /// <summary>Marks a savepoint; <see cref="RollbackToSavepoint"/> undoes everything after it.</summary>
    public int Savepoint() => throw new NotImplementedException();

    /// <summary>Undoes writes and DDL made after <paramref name="savepoint"/>.</summary>
    public void RollbackToSavepoint(int savepoint) => throw new NotImplementedException();

    /// <summary>Commits: checks write-write conflicts, appends one WAL record, applies; durable when this returns.</summary>
    /// <exception cref="TransactionConflictException">Another transaction committed a key this one wrote after its snapshot.</exception>
    public ValueTask<ulong> CommitAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Discards everything.</summary>
    public void Rollback() => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}
