using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Storage.Segments;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Transactions;

/// <summary>
/// One transaction on a shard: reads at a fixed snapshot (seeing its own writes), buffers writes and DDL,
/// and at commit either applies all of it as one WAL record or none of it. Not thread-safe: one session
/// drives it.
/// </summary>
/// <remarks>
/// Writes are kept per table in key order, so scans merge them with the snapshot in one pass. DDL changes an
/// immutable catalog copy; at commit the difference from the catalog the transaction started with becomes
/// rows of the catalog table in the same batch. An ALTER that changes the storage layout moves the table to a
/// new id (the rows are rewritten at commit); one that keeps it (rename, options, defaults) keeps the id.
/// </remarks>
public sealed class Transaction : IAsyncDisposable
{
    private readonly Database _database;
    private readonly Shard _shard;
    private readonly ShardSnapshot _snapshot;
    private readonly CatalogSnapshot _base;
    // The collections are made on first use: a read-only statement's transaction needs none of them.
    private Dictionary<byte[], ulong>? _lockedSince;
    private Dictionary<ulong, WriteSet>? _writes;
    private List<Undo>? _undo;
    private List<SavepointState>? _savepoints;
    private HashSet<byte[]>? _heldLocks;
    private CatalogSnapshot _catalog;
    private ImmutableHashSet<ulong> _truncated = [];
    private ImmutableHashSet<ulong> _readWhole = [];
    private ImmutableDictionary<ulong, TableRewrite> _rewrites = ImmutableDictionary<ulong, TableRewrite>.Empty;
    private bool _active = true;

    internal Transaction(Database database, Shard shard, ShardSnapshot snapshot, CatalogSnapshot catalog, TransactionIsolation isolation)
    {
        _database = database;
        _shard = shard;
        _snapshot = snapshot;
        _base = catalog;
        _catalog = catalog;
        Isolation = isolation;
    }

    /// <summary>The commit sequence the transaction (under READ COMMITTED: the current statement) reads at.</summary>
    public ulong SnapshotSeq => _snapshot.Seq;

    /// <summary>The isolation level the transaction runs at.</summary>
    public TransactionIsolation Isolation { get; }

    /// <summary>How long <see cref="LockRowAsync"/> waits for a row lock; zero or less waits without limit.</summary>
    public TimeSpan LockTimeout { get; set; }

    /// <summary>Row locks this transaction holds (guarded by the database's lock table).</summary>
    internal HashSet<byte[]> HeldLocks => _heldLocks ??= new(ByteKeyComparer.Instance);

    /// <summary>Whether the transaction ever took a row lock (most read-only statements never do).</summary>
    internal bool HasHeldLocks => _heldLocks is not null;

    /// <summary>The lock this transaction waits for, if any (guarded by the database's lock table).</summary>
    internal RowLockTable.Entry? WaitingFor { get; set; }

    /// <summary>
    /// Marks the start of a statement: under READ COMMITTED the snapshot moves to the newest committed state;
    /// under the other levels nothing changes.
    /// </summary>
    public void BeginStatement()
    {
        ThrowIfInactive();
        if (Isolation == TransactionIsolation.ReadCommitted)
        {
            _snapshot.Refresh();
        }
    }

    /// <summary>
    /// Takes the row lock of <paramref name="primaryKey"/> (held to commit or rollback), waiting while another
    /// transaction holds it, then returns the row to update: this transaction's own write, or else the newest
    /// committed version. Under READ COMMITTED a row committed by another after the snapshot comes back with
    /// <see cref="LockedRow.Changed"/> set (the caller re-checks its WHERE on it, as PostgreSQL's EvalPlanQual
    /// does), and the commit checks the key only against commits after the lock was taken. Under the other levels
    /// such a row fails at once with <see cref="TransactionConflictException"/> unless
    /// <paramref name="allowChanged"/> (an INSERT's duplicate check, which reports the row instead).
    /// </summary>
    /// <exception cref="DeadlockDetectedException">Waiting would close a cycle of waiting transactions.</exception>
    /// <exception cref="LockNotAvailableException">Not granted within <see cref="LockTimeout"/>.</exception>
    public async ValueTask<LockedRow> LockRowAsync(
        TableDefinition table, ReadOnlyMemory<byte> primaryKey, bool allowChanged = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        RequireTable(table);
        var lockKey = RowLockTable.KeyOf(table.Id, primaryKey.Span);
        await _database.RowLocks.AcquireAsync(this, lockKey, LockTimeout, cancellationToken).ConfigureAwait(false);
        if (ReadsOwnVersionAfterWait(table, primaryKey))
        {
            return new LockedRow(await GetAsync(table, primaryKey, cancellationToken).ConfigureAwait(false), false);
        }

        // Holding the lock, no other locking writer commits the row until this transaction ends.
        var latest = _shard.LastCommittedSeq;
        var changed = await _shard.HasVersionAfterAsync(table.Layout, primaryKey, SnapshotSeq, cancellationToken).ConfigureAwait(false);
        if (changed && Isolation != TransactionIsolation.ReadCommitted && !allowChanged)
        {
            throw new TransactionConflictException();
        }

        if (Isolation == TransactionIsolation.ReadCommitted)
        {
            (_lockedSince ??= new(ByteKeyComparer.Instance)).TryAdd(lockKey, latest);
        }

        var row = await _shard.GetAsync(table.Layout, primaryKey, changed ? latest : SnapshotSeq, cancellationToken).ConfigureAwait(false);
        return new LockedRow(row, changed);
    }

    /// <summary>
    /// Locks the row under <paramref name="primaryKey"/> shared, as a foreign-key check does for the row it
    /// references: other shared holders go on, a transaction that wants to change or delete the row waits for
    /// this one to end, and this one waits for a transaction that has changed it and not ended. Returns the row
    /// now: this transaction's own write, else the newest committed version (null when there is none).
    /// </summary>
    /// <exception cref="DeadlockDetectedException">Waiting would close a cycle of waiting transactions.</exception>
    /// <exception cref="LockNotAvailableException">Not granted within <see cref="LockTimeout"/>.</exception>
    public async ValueTask<byte[]?> LockRowSharedAsync(TableDefinition table, ReadOnlyMemory<byte> primaryKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        RequireTable(table);
        await _database.RowLocks.AcquireSharedAsync(this, RowLockTable.KeyOf(table.Id, primaryKey.Span), LockTimeout, cancellationToken).ConfigureAwait(false);
        return ReadsOwnVersionAfterWait(table, primaryKey)
            ? await GetAsync(table, primaryKey, cancellationToken).ConfigureAwait(false)
            : await _shard.GetAsync(table.Layout, primaryKey, _shard.LastCommittedSeq, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a row lock is granted: fails when DDL that committed during the wait moved the table's rows to a new
    /// id (ALTER), where this transaction cannot see them and re-reading the row would find it gone (the commit
    /// would refuse the write anyway; failing now lets a lone statement run again against the new definition).
    /// Then whether the row is read through this transaction's own view (its write, a rewrite, or a table whose
    /// committed rows it hides) rather than from committed storage.
    /// </summary>
    private bool ReadsOwnVersionAfterWait(TableDefinition table, ReadOnlyMemory<byte> primaryKey)
    {
        if (_base.FindTable(table.Id) is { } known && !ReferenceEquals(_database.Catalog.FindTable(table.Id), known))
        {
            throw new TransactionConflictException("could not serialize access due to concurrent change of a table definition", catalogChanged: true);
        }

        return (OwnWrites(table.Id) is { } own && own.ContainsKey(primaryKey.Span)) || _rewrites.ContainsKey(table.Id) || HidesCommitted(table.Id);
    }

    /// <summary>True until commit, rollback or dispose.</summary>
    public bool IsActive => _active;

    /// <summary>The catalog as this transaction sees it (its own DDL included).</summary>
    public CatalogSnapshot Catalog => _catalog;

    /// <summary>True when the transaction has buffered writes or DDL.</summary>
    public bool HasChanges => _undo is { Count: > 0 } || !ReferenceEquals(_catalog, _base) || !_truncated.IsEmpty;

    /// <summary>The row with <paramref name="primaryKey"/> (the key encoding of <see cref="Storage.Shards.TableLayout"/>, without table prefix), in the storage row encoding, or null.</summary>
    public async ValueTask<byte[]?> GetAsync(TableDefinition table, ReadOnlyMemory<byte> primaryKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        if (OwnWrites(table.Id) is { } own && own.TryGetValue(primaryKey.Span, out var row))
        {
            return row;
        }

        if (_rewrites.TryGetValue(table.Id, out var source))
        {
            var rows = await RewrittenRowsAsync(source, table, SnapshotSeq, cancellationToken).ConfigureAwait(false);
            return rows.Find(primaryKey.Span);
        }

        if (HidesCommitted(table.Id))
        {
            return null;
        }

        return await _shard.GetAsync(table.Layout, primaryKey, SnapshotSeq, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows of <paramref name="table"/> visible to this transaction (own writes merged), in primary-key order, as Arrow batches of the layout's schema (or the scan's projection).</summary>
    public IAsyncEnumerable<RecordBatch> ScanAsync(TableDefinition table, SegmentScan? scan = null, CancellationToken cancellationToken = default) =>
        ScanAtAsync(table, scan, latest: false, cancellationToken);

    /// <summary>
    /// Like <see cref="ScanAsync"/>, but committed rows as of the newest commit rather than the snapshot: what a
    /// foreign-key check on a referenced row's removal must see, after its lock made writers that reference the
    /// row finish.
    /// </summary>
    public IAsyncEnumerable<RecordBatch> ScanLatestAsync(TableDefinition table, SegmentScan? scan = null, CancellationToken cancellationToken = default) =>
        ScanAtAsync(table, scan, latest: true, cancellationToken);

    private async IAsyncEnumerable<RecordBatch> ScanAtAsync(
        TableDefinition table, SegmentScan? scan, bool latest, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        var seq = latest ? _shard.LastCommittedSeq : SnapshotSeq;
        IAsyncEnumerable<RecordBatch> batches;
        if (_rewrites.TryGetValue(table.Id, out var source))
        {
            var rows = await RewrittenRowsAsync(source, table, seq, cancellationToken).ConfigureAwait(false);
            batches = _shard.ScanAsync(table.Layout, scan, seq, [.. rows.OverlaidWith(OwnWrites(table.Id))], overlayOnly: true, cancellationToken);
        }
        else if (OwnWrites(table.Id) is { Count: > 0 } own)
        {
            batches = _shard.ScanAsync(table.Layout, scan, seq, [.. own], HidesCommitted(table.Id), cancellationToken);
        }
        else if (HidesCommitted(table.Id))
        {
            yield break;
        }
        else
        {
            batches = _shard.ScanAsync(table.Layout, scan, seq, cancellationToken);
        }

        await foreach (var batch in batches.ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Key ranges that split <paramref name="scan"/> of <paramref name="table"/> into up to <paramref name="parts"/>
    /// parts of at least about <paramref name="minRowsPerPart"/> rows (see <see cref="Shard.SplitScanKeys"/>):
    /// <see cref="ScanAsync"/> of each, with the range as the scan's keys, may run at once on separate threads and
    /// together they return exactly the scan's rows. One range, the scan's own, while this transaction has written
    /// to the table: its own writes are merged into one stream.
    /// </summary>
    public IReadOnlyList<KeyRange> SplitScan(TableDefinition table, SegmentScan? scan, int parts, long minRowsPerPart)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        if (parts < 2 || _rewrites.ContainsKey(table.Id) || OwnWrites(table.Id) is { Count: > 0 } || HidesCommitted(table.Id))
        {
            return [scan?.Keys ?? new KeyRange(null, null)];
        }

        return _shard.SplitScanKeys(table.Layout, scan?.Keys, scan?.Time, parts, minRowsPerPart);
    }

    /// <summary>Inserts or replaces a row (storage row encoding for <paramref name="table"/>'s layout).</summary>
    public void Put(TableDefinition table, ReadOnlySpan<byte> row)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        RequireTable(table);
        Write(table.Id, Shard.PrimaryKeyOf(table.Layout, row), row.ToArray());
    }

    /// <summary>
    /// Inserts or replaces a row as <see cref="Put"/> does, keeping <paramref name="row"/> itself instead of a copy:
    /// the caller hands the array over and must not change it afterwards (COPY's freshly encoded rows).
    /// </summary>
    public void PutOwned(TableDefinition table, byte[] row)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        ThrowIfInactive();
        RequireTable(table);
        Write(table.Id, Shard.PrimaryKeyOf(table.Layout, row), row);
    }

    /// <summary>Deletes the row with <paramref name="primaryKey"/>.</summary>
    public void Delete(TableDefinition table, ReadOnlySpan<byte> primaryKey)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        RequireTable(table);
        Write(table.Id, primaryKey.ToArray(), null);
    }

    /// <summary>Deletes every row of <paramref name="table"/> (TRUNCATE).</summary>
    public void Truncate(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        RequireTable(table);
        if (OwnWrites(table.Id) is { } own)
        {
            foreach (var (key, row) in own)
            {
                Undos.Add(new Undo(table.Id, key, true, row));
            }

            own.Clear();
        }

        // Rows a rewrite would bring over are gone too: the table keeps its new layout with no rows.
        _rewrites = _rewrites.Remove(table.Id);
        _truncated = _truncated.Add(table.Id);
        foreach (var index in _catalog.IndexesOf(table.Id))
        {
            if (_catalog.StorageOf(index) is { } storage)
            {
                Truncate(storage);
            }
        }
    }

    /// <summary>Creates a table; the returned definition carries its new id.</summary>
    /// <exception cref="CatalogException">It exists, or the definition is invalid.</exception>
    public TableDefinition CreateTable(TableDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowIfInactive();
        RequireSchema(definition.Schema);
        if (_catalog.RelationExists(definition.Schema, definition.Name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"relation \"{definition.Name}\" already exists");
        }

        var created = Define(Allocate(), definition, 1);
        _catalog = _catalog.With(tables: _catalog.TablesById.Add(created.Id, created));
        return created;
    }

    /// <summary>Replaces a table's definition (ALTER TABLE); existing rows are rewritten to the new layout at commit.</summary>
    /// <param name="current">The table as this transaction sees it.</param>
    /// <param name="altered">The new definition; columns are matched to the current ones by name.</param>
    /// <param name="addedValues">
    /// For columns <paramref name="current"/> lacks, by name: writes the value existing rows get (a DEFAULT,
    /// evaluated once by the caller). Columns without one are null in existing rows.
    /// </param>
    /// <param name="origins">
    /// For columns of <paramref name="altered"/> that do not simply keep their name, by new name: the name they
    /// had in <paramref name="current"/> (a RENAME COLUMN), or null for a column added new under a name an old
    /// column had. Other columns are matched by name.
    /// </param>
    /// <returns>The new definition: same id when the storage layout is unchanged, a new id when rows are rewritten.</returns>
    public TableDefinition AlterTable(
        TableDefinition current, TableDefinition altered, IReadOnlyDictionary<string, Action<RowBuilder, int>>? addedValues = null, IReadOnlyDictionary<string, string?>? origins = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(altered);
        ThrowIfInactive();
        current = RequireTable(current);
        RequireSchema(altered.Schema);
        if ((altered.Schema != current.Schema || altered.Name != current.Name) && _catalog.RelationExists(altered.Schema, altered.Name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"relation \"{altered.Name}\" already exists");
        }

        if (SameLayout(current, altered))
        {
            var renamed = Define(current.Id, altered, current.Version + 1);
            _catalog = _catalog.With(tables: _catalog.TablesById.SetItem(current.Id, renamed));
            return renamed;
        }

        RowMapper.Check(current, altered, origins);
        var moved = Define(Allocate(), altered, current.Version + 1);
        var indexes = _catalog.IndexesById;
        foreach (var index in _catalog.IndexesOf(current.Id))
        {
            indexes = indexes.SetItem(index.Id, index with { TableId = moved.Id });
        }

        var sequences = _catalog.SequencesById;
        foreach (var sequence in _catalog.SequencesOwnedBy(current.Id))
        {
            sequences = sequences.SetItem(sequence.Id, sequence with { OwnerTableId = moved.Id });
        }

        _catalog = _catalog.With(
            tables: _catalog.TablesById.Remove(current.Id).Add(moved.Id, moved),
            indexes: indexes,
            sequences: sequences,
            retired: _base.TablesById.ContainsKey(current.Id) ? _catalog.Retired.SetItem(current.Id, current) : null);
        _rewrites = _rewrites.SetItem(moved.Id, new TableRewrite(current, addedValues, origins));
        return moved;
    }

    /// <summary>Drops a table and its indexes, owned sequences and rows.</summary>
    public void DropTable(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ThrowIfInactive();
        table = RequireTable(table);
        DropIndexStorage(_catalog.IndexesOf(table.Id));
        var indexes = _catalog.IndexesById.RemoveRange(_catalog.IndexesOf(table.Id).Select(i => i.Id));
        _catalog = _catalog.With(
            tables: _catalog.TablesById.Remove(table.Id),
            indexes: indexes,
            sequences: _catalog.SequencesById.RemoveRange(_catalog.SequencesOwnedBy(table.Id).Select(s => s.Id)),
            retired: _base.TablesById.ContainsKey(table.Id) ? _catalog.Retired.SetItem(table.Id, table) : null);
    }

    /// <summary>Creates a schema.</summary>
    public void CreateSchema(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfInactive();
        if (_catalog.SchemaNames.Contains(name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"schema \"{name}\" already exists");
        }

        _catalog = _catalog.With(schemas: _catalog.SchemaNames.Add(name));
    }

    /// <summary>Drops an empty schema (or, with <paramref name="cascade"/>, everything in it).</summary>
    public void DropSchema(string name, bool cascade)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfInactive();
        RequireSchema(name);
        var tables = _catalog.TablesById.Values.Where(t => t.Schema == name).ToList();
        var views = _catalog.ViewsById.Values.Where(v => v.Schema == name).ToList();
        if (!cascade && (tables.Count > 0 || views.Count > 0 || _catalog.SequencesById.Values.Any(s => s.Schema == name)))
        {
            throw new CatalogException(CatalogErrorKind.HasDependents, $"cannot drop schema {name} because other objects depend on it");
        }

        foreach (var view in views)
        {
            DropView(view);
        }

        foreach (var table in tables)
        {
            DropTable(table);
        }

        _catalog = _catalog.With(
            schemas: _catalog.SchemaNames.Remove(name),
            sequences: _catalog.SequencesById.RemoveRange(_catalog.SequencesById.Values.Where(s => s.Schema == name).Select(s => s.Id)));
    }

    /// <summary>Creates a view.</summary>
    public ViewDefinition CreateView(ViewDefinition definition, bool orReplace)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowIfInactive();
        RequireSchema(definition.Schema);
        var existing = _catalog.FindView(definition.Schema, definition.Name);
        if (existing is not null ? !orReplace : _catalog.RelationExists(definition.Schema, definition.Name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"relation \"{definition.Name}\" already exists");
        }

        var view = definition with { Id = existing?.Id ?? Allocate() };
        _catalog = _catalog.With(views: _catalog.ViewsById.SetItem(view.Id, view));
        return view;
    }

    /// <summary>Drops a view.</summary>
    public void DropView(ViewDefinition view)
    {
        ArgumentNullException.ThrowIfNull(view);
        ThrowIfInactive();
        if (!_catalog.ViewsById.ContainsKey(view.Id))
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"view \"{view.Name}\" does not exist");
        }

        _catalog = _catalog.With(views: _catalog.ViewsById.Remove(view.Id));
    }

    /// <summary>Creates an index.</summary>
    public IndexDefinition CreateIndex(IndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowIfInactive();
        if (_catalog.FindTable(definition.TableId) is not { } table)
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"table {definition.TableId} does not exist");
        }

        if (_catalog.RelationExists(definition.Schema, definition.Name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"relation \"{definition.Name}\" already exists");
        }

        if (definition.Columns.Count == 0 || definition.Columns.Any(c => table.IndexOf(c) < 0))
        {
            throw new CatalogException(CatalogErrorKind.Invalid, $"index \"{definition.Name}\" names no column or a column \"{table.Name}\" does not have");
        }

        if (definition.Unique && definition.Columns.Distinct(StringComparer.Ordinal).Count() != definition.Columns.Count)
        {
            throw new CatalogException(CatalogErrorKind.Invalid, $"unique index \"{definition.Name}\" names a column twice");
        }

        var index = definition with { Id = Allocate() };
        var tables = _catalog.TablesById;
        if (index.Unique)
        {
            // Entries go in a table of their own under the index's id; the caller fills it from the rows this
            // transaction sees, so a commit to the table after its snapshot must make it fail. A new definition
            // of the table makes writers planned without the index fail at commit too, and plan again.
            tables = tables.Add(index.Id, UniqueIndexStorage.For(index, table))
                .SetItem(table.Id, Define(table.Id, table, table.Version + 1));
            _readWhole = _readWhole.Add(table.Id);
        }

        _catalog = _catalog.With(tables: tables, indexes: _catalog.IndexesById.Add(index.Id, index));
        return index;
    }

    /// <summary>Drops an index.</summary>
    public void DropIndex(IndexDefinition index)
    {
        ArgumentNullException.ThrowIfNull(index);
        ThrowIfInactive();
        if (!_catalog.IndexesById.ContainsKey(index.Id))
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"index \"{index.Name}\" does not exist");
        }

        _catalog = _catalog.With(indexes: _catalog.IndexesById.Remove(index.Id));
        DropIndexStorage([index]);
    }

    /// <summary>Drops the entry tables of those of <paramref name="indexes"/> that have one; committed entries go at commit.</summary>
    private void DropIndexStorage(IEnumerable<IndexDefinition> indexes)
    {
        foreach (var index in indexes)
        {
            if (_catalog.StorageOf(index) is { } storage)
            {
                _catalog = _catalog.With(
                    tables: _catalog.TablesById.Remove(storage.Id),
                    retired: _base.TablesById.ContainsKey(storage.Id) ? _catalog.Retired.SetItem(storage.Id, storage) : null);
            }
        }
    }

    /// <summary>Creates a sequence; the returned definition carries its new id.</summary>
    /// <exception cref="CatalogException">A relation of that name exists, or the definition is invalid.</exception>
    public SequenceDefinition CreateSequence(SequenceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ThrowIfInactive();
        RequireSchema(definition.Schema);
        definition.Validate();
        if (_catalog.RelationExists(definition.Schema, definition.Name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"relation \"{definition.Name}\" already exists");
        }

        var sequence = definition with { Id = Allocate() };
        _catalog = _catalog.With(sequences: _catalog.SequencesById.Add(sequence.Id, sequence));
        return sequence;
    }

    /// <summary>Replaces a sequence's definition (ALTER SEQUENCE, a rename, a change of owner); its value is kept.</summary>
    public SequenceDefinition AlterSequence(SequenceDefinition current, SequenceDefinition altered)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(altered);
        ThrowIfInactive();
        if (!_catalog.SequencesById.ContainsKey(current.Id))
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"relation \"{current.Name}\" does not exist");
        }

        altered.Validate();
        if ((altered.Schema != current.Schema || altered.Name != current.Name) && _catalog.RelationExists(altered.Schema, altered.Name))
        {
            throw new CatalogException(CatalogErrorKind.AlreadyExists, $"relation \"{altered.Name}\" already exists");
        }

        var sequence = altered with { Id = current.Id };
        _catalog = _catalog.With(sequences: _catalog.SequencesById.SetItem(sequence.Id, sequence));
        return sequence;
    }

    /// <summary>Drops a sequence.</summary>
    public void DropSequence(SequenceDefinition sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ThrowIfInactive();
        if (!_catalog.SequencesById.ContainsKey(sequence.Id))
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"sequence \"{sequence.Name}\" does not exist");
        }

        // Its stored value stays behind, unread: ids are never reused.
        _catalog = _catalog.With(sequences: _catalog.SequencesById.Remove(sequence.Id));
    }

    /// <summary>
    /// Takes the sequence's next value, outside this transaction: a rollback does not return it (nextval).
    /// </summary>
    /// <exception cref="SequenceLimitException">The sequence has no value left and does not cycle.</exception>
    public long NextSequenceValue(SequenceDefinition sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ThrowIfInactive();
        return _database.NextSequenceValue(sequence);
    }

    /// <summary>Sets the sequence's value, outside this transaction (setval, ALTER SEQUENCE RESTART).</summary>
    public void SetSequenceValue(SequenceDefinition sequence, long value, bool isCalled)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ThrowIfInactive();
        _database.SetSequenceValue(sequence, value, isCalled);
    }

    /// <summary>The sequence's last value, the values its log already covers beyond it, and whether it has been handed out.</summary>
    public (long LastValue, long LogCount, bool IsCalled) PeekSequence(SequenceDefinition sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return _database.PeekSequence(sequence);
    }

    /// <summary>Creates or replaces a role.</summary>
    public void PutRole(RoleDefinition role)
    {
        ArgumentNullException.ThrowIfNull(role);
        ThrowIfInactive();
        _catalog = _catalog.With(roles: _catalog.RolesByName.SetItem(role.Name, role));
    }

    /// <summary>Drops a role.</summary>
    public void DropRole(string name)
    {
        ThrowIfInactive();
        if (!_catalog.RolesByName.ContainsKey(name))
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"role \"{name}\" does not exist");
        }

        _catalog = _catalog.With(roles: _catalog.RolesByName.Remove(name));
    }

    /// <summary>Marks a savepoint; <see cref="RollbackToSavepoint"/> undoes everything after it.</summary>
    public int Savepoint()
    {
        ThrowIfInactive();
        var savepoints = _savepoints ??= [];
        savepoints.Add(new SavepointState(Undos.Count, _catalog, _truncated, _rewrites));
        return savepoints.Count - 1;
    }

    /// <summary>Undoes writes and DDL made after <paramref name="savepoint"/>.</summary>
    public void RollbackToSavepoint(int savepoint)
    {
        ThrowIfInactive();
        ArgumentOutOfRangeException.ThrowIfNegative(savepoint);
        var savepoints = _savepoints ??= [];
        var undos = Undos;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(savepoint, savepoints.Count);
        var state = savepoints[savepoint];
        for (var i = undos.Count - 1; i >= state.UndoCount; i--)
        {
            var undo = undos[i];
            var own = Writes[undo.TableId];
            if (undo.Existed)
            {
                own.Set(undo.Key, undo.Previous);
            }
            else
            {
                own.Remove(undo.Key);
            }
        }

        undos.RemoveRange(state.UndoCount, undos.Count - state.UndoCount);
        _catalog = state.Catalog;
        _truncated = state.Truncated;
        _rewrites = state.Rewrites;

        // The savepoint stays usable (ROLLBACK TO may repeat); later ones are gone.
        savepoints.RemoveRange(savepoint + 1, savepoints.Count - savepoint - 1);
    }

    /// <summary>Commits: checks write-write conflicts, appends one WAL record, applies; durable when this returns.</summary>
    /// <exception cref="TransactionConflictException">Another transaction committed a key this one wrote after its snapshot.</exception>
    public async ValueTask<ulong> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfInactive();
        try
        {
            if (!HasChanges)
            {
                return SnapshotSeq;
            }

            var plan = await PlanAsync(cancellationToken).ConfigureAwait(false);
            if (plan.Batch.Count == 0 && plan.Catalog is null)
            {
                return SnapshotSeq;
            }

            return await _database.CommitAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Discards everything.</summary>
    public void Rollback()
    {
        if (_active)
        {
            Clear();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Rollback();
        return ValueTask.CompletedTask;
    }

    /// <summary>Turns the buffered writes and DDL into one batch and the checks it must pass.</summary>
    private async Task<CommitPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var final = _catalog;
        var ddl = !ReferenceEquals(final, _base);
        var plan = new CommitPlan
        {
            Batch = new WriteBatch(),
            SnapshotSeq = SnapshotSeq,
            BaseCatalog = _base,
            Catalog = ddl ? final : null,
        };
        if (ddl)
        {
            CatalogStore.WriteChanges(_base, final, plan.Batch);
        }

        // Whole-table changes read the table at the newest seq, not the snapshot: they conflict with any commit
        // to the table after the snapshot, so when they commit both give the same rows, and the newest seq is
        // still readable after a flush has passed the snapshot.
        var latest = _shard.LastCommittedSeq;

        // Tables gone from the catalog (dropped, or moved to a new id by ALTER): their committed rows go.
        foreach (var (id, table) in _base.TablesById)
        {
            if (!final.TablesById.ContainsKey(id))
            {
                plan.WholeTables.Add(id);
                plan.TablesWritten.Add(id);
                await foreach (var row in _shard.ScanRowsAsync(table.Layout, latest, cancellationToken).ConfigureAwait(false))
                {
                    plan.Batch.Delete(table.Layout, Shard.PrimaryKeyOf(table.Layout, row));
                }
            }
        }

        foreach (var id in _readWhole)
        {
            if (final.TablesById.ContainsKey(id) && _base.TablesById.ContainsKey(id))
            {
                plan.WholeTables.Add(id);
            }
        }

        foreach (var id in _truncated)
        {
            if (final.FindTable(id) is { } table && _base.TablesById.ContainsKey(id))
            {
                plan.WholeTables.Add(id);
                plan.TablesWritten.Add(id);
                plan.TablesChecked.Add(id);
                var own = OwnWrites(id);
                await foreach (var row in _shard.ScanRowsAsync(table.Layout, latest, cancellationToken).ConfigureAwait(false))
                {
                    var key = Shard.PrimaryKeyOf(table.Layout, row);
                    if (own is null || !own.ContainsKey(key))
                    {
                        plan.Batch.Delete(table.Layout, key);
                    }
                }
            }
        }

        foreach (var (id, source) in _rewrites)
        {
            if (final.FindTable(id) is not { } table)
            {
                continue;
            }

            plan.TablesWritten.Add(id);
            var own = OwnWrites(id);
            foreach (var (key, row) in await RewrittenRowsAsync(source, table, latest, cancellationToken).ConfigureAwait(false))
            {
                if (own is null || !own.ContainsKey(key))
                {
                    plan.Batch.Put(table.Layout, row!);
                }
            }
        }

        foreach (var (id, own) in _writes ?? [])
        {
            if (own.Count == 0 || final.FindTable(id) is not { } table)
            {
                continue;
            }

            plan.TablesWritten.Add(id);
            var checkKeys = _base.TablesById.ContainsKey(id) && !plan.WholeTables.Contains(id);
            if (_base.TablesById.ContainsKey(id))
            {
                plan.TablesChecked.Add(id);
            }

            foreach (var (key, row) in own)
            {
                if (row is null)
                {
                    plan.Batch.Delete(table.Layout, key);
                }
                else
                {
                    plan.Batch.Put(table.Layout, row);
                }

                if (checkKeys)
                {
                    // A row locked under READ COMMITTED conflicts only with commits after the lock was taken.
                    var since = _lockedSince is { Count: > 0 } && _lockedSince.TryGetValue(RowLockTable.KeyOf(id, key), out var locked) ? locked : SnapshotSeq;
                    plan.Keys.Add((table.Layout, key, since));
                }
            }
        }

        return plan;
    }

    /// <summary>The rows the rewrite's source has in this transaction, mapped to <paramref name="target"/>'s layout, by target primary key.</summary>
    private async Task<KeyedRows> RewrittenRowsAsync(
        TableRewrite rewrite, TableDefinition target, ulong seq, CancellationToken cancellationToken)
    {
        var mapper = new RowMapper(rewrite.Source, target, rewrite.AddedValues, rewrite.Origins);
        var visible = await VisibleRowsAsync(rewrite.Source, seq, cancellationToken).ConfigureAwait(false);
        var keys = new List<byte[]>(visible.Count);
        var rows = new List<byte[]?>(visible.Count);
        foreach (var row in visible)
        {
            var mapped = mapper.Map(row);
            keys.Add(Shard.PrimaryKeyOf(target.Layout, mapped));
            rows.Add(mapped);
        }

        return new KeyedRows(keys, rows);
    }

    /// <summary>Every row of <paramref name="table"/> this transaction sees (committed rows read at <paramref name="seq"/>), in its own layout and key order.</summary>
    private async Task<List<byte[]>> VisibleRowsAsync(TableDefinition table, ulong seq, CancellationToken cancellationToken)
    {
        var own = OwnWrites(table.Id);
        if (_rewrites.TryGetValue(table.Id, out var source))
        {
            var rewritten = await RewrittenRowsAsync(source, table, seq, cancellationToken).ConfigureAwait(false);
            return [.. rewritten.OverlaidWith(own).Where(r => r.Value is not null).Select(r => r.Value!)];
        }

        if (own is not { Count: > 0 })
        {
            // Nothing of its own to lay over: the committed rows come in key order already.
            var committed = new List<byte[]>();
            if (!HidesCommitted(table.Id))
            {
                await foreach (var row in _shard.ScanRowsAsync(table.Layout, seq, cancellationToken).ConfigureAwait(false))
                {
                    committed.Add(row);
                }
            }

            return committed;
        }

        var rows = new SortedDictionary<byte[], byte[]?>(ByteKeyComparer.Instance);
        if (!HidesCommitted(table.Id))
        {
            await foreach (var row in _shard.ScanRowsAsync(table.Layout, seq, cancellationToken).ConfigureAwait(false))
            {
                rows[Shard.PrimaryKeyOf(table.Layout, row)] = row;
            }
        }

        Overlay(rows, table.Id);
        return [.. rows.Values.Where(r => r is not null).Select(r => r!)];
    }

    /// <summary>Lays this transaction's writes to <paramref name="tableId"/> over <paramref name="rows"/>.</summary>
    private void Overlay(SortedDictionary<byte[], byte[]?> rows, ulong tableId)
    {
        if (OwnWrites(tableId) is { } own)
        {
            foreach (var (key, row) in own)
            {
                rows[key] = row;
            }
        }
    }

    /// <summary>Whether committed rows of the table are invisible here: it was truncated or created in this transaction.</summary>
    private bool HidesCommitted(ulong tableId) => _truncated.Contains(tableId) || !_base.TablesById.ContainsKey(tableId);

    private Dictionary<ulong, WriteSet> Writes => _writes ??= [];

    /// <summary>This transaction's writes to a table, or null when it has none.</summary>
    private WriteSet? OwnWrites(ulong tableId) => _writes?.GetValueOrDefault(tableId);

    private List<Undo> Undos => _undo ??= [];

    private void Write(ulong tableId, byte[] key, byte[]? row)
    {
        var writes = Writes;
        if (!writes.TryGetValue(tableId, out var own))
        {
            own = new WriteSet();
            writes[tableId] = own;
        }

        var existed = own.TryGetValue(key, out var previous);
        Undos.Add(new Undo(tableId, key, existed, previous));
        own.Set(key, row);
    }

    private ulong Allocate()
    {
        var id = _database.AllocateId();
        if (id >= _catalog.NextId)
        {
            _catalog = _catalog.With(nextId: id + 1);
        }

        return id;
    }

    private static TableDefinition Define(ulong id, TableDefinition definition, ulong version)
    {
        try
        {
            return new TableDefinition(
                id, definition.Schema, definition.Name, definition.Columns, definition.PrimaryKey, definition.TimeColumn, definition.Ttl,
                definition.Options, version);
        }
        catch (ArgumentException error)
        {
            throw new CatalogException(CatalogErrorKind.Invalid, error.Message);
        }
    }

    private static bool SameLayout(TableDefinition current, TableDefinition altered)
    {
        var a = current.Layout;
        var b = altered.Layout;
        return a.Columns.SequenceEqual(b.Columns) && a.PrimaryKey.SequenceEqual(b.PrimaryKey) && a.TimeColumn == b.TimeColumn;
    }

    private TableDefinition RequireTable(TableDefinition table) =>
        _catalog.FindTable(table.Id) ?? throw new CatalogException(CatalogErrorKind.NotFound, $"relation \"{table.Name}\" does not exist");

    private void RequireSchema(string schema)
    {
        if (!_catalog.SchemaNames.Contains(schema))
        {
            throw new CatalogException(CatalogErrorKind.NotFound, $"schema \"{schema}\" does not exist");
        }
    }

    private void ThrowIfInactive()
    {
        if (!_active)
        {
            throw new InvalidOperationException("The transaction has ended.");
        }
    }

    private void Clear()
    {
        _active = false;
        _writes?.Clear();
        _undo?.Clear();
        _savepoints?.Clear();
        _lockedSince?.Clear();

        // After the commit is visible (or nothing was applied): a waiter re-reads the row and sees the outcome.
        // Locks are only ever granted to a transaction that asked for one, which made the set; without it the
        // lock table's mutex is not taken at all.
        if (HasHeldLocks)
        {
            _database.RowLocks.ReleaseAll(this);
        }

        _snapshot.Dispose();
    }

    /// <summary>How to undo one buffered write: the key's previous buffered state.</summary>
    private readonly record struct Undo(ulong TableId, byte[] Key, bool Existed, byte[]? Previous);

    /// <summary>What a savepoint restores.</summary>
    /// <summary>An ALTER's pending rewrite: the definition the rows come from, and what new columns get.</summary>
    private sealed record TableRewrite(
        TableDefinition Source, IReadOnlyDictionary<string, Action<RowBuilder, int>>? AddedValues, IReadOnlyDictionary<string, string?>? Origins);

    private sealed record SavepointState(
        int UndoCount, CatalogSnapshot Catalog, ImmutableHashSet<ulong> Truncated, ImmutableDictionary<ulong, TableRewrite> Rewrites);
}
