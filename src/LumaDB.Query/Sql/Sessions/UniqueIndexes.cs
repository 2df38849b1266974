using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// The unique indexes (UNIQUE constraints and CREATE UNIQUE INDEX) of one table, kept in step with its rows:
/// every writer calls in with the row it adds, the row it replaces, or the row it removes, in the same
/// transaction. An entry's key is locked before it is read, as a primary key is, so two transactions adding
/// the same value wait for each other and the second sees the first's entry once it commits. A row with NULL
/// in an indexed column has no entry (NULLs are distinct, as PostgreSQL's default).
/// </summary>
internal sealed class UniqueIndexes
{
    private readonly TableDefinition _table;
    private readonly SqlType[] _types;
    private readonly Index[] _indexes;

    private UniqueIndexes(TableDefinition table, SqlType[] types, Index[] indexes)
    {
        _table = table;
        _types = types;
        _indexes = indexes;
    }

    /// <summary>No unique index: the writers' calls do nothing.</summary>
    public bool IsEmpty => _indexes.Length == 0;

    /// <summary>The indexes, in a fixed order (ON CONFLICT names one by its position here).</summary>
    public IReadOnlyList<IndexDefinition> Definitions => [.. _indexes.Select(i => i.Definition)];

    /// <summary>The position of the index whose columns are exactly <paramref name="columns"/> (any order), or -1.</summary>
    public int IndexOn(IEnumerable<string> columns)
    {
        var set = columns.ToHashSet(StringComparer.Ordinal);
        return Array.FindIndex(_indexes, i => set.SetEquals(i.Definition.Columns));
    }

    /// <summary>The unique indexes of <paramref name="table"/> as <paramref name="catalog"/> has them.</summary>
    public static UniqueIndexes For(CatalogSnapshot catalog, TableDefinition table)
    {
        var definitions = catalog.IndexesOf(table.Id);
        if (!definitions.Any(i => i.Unique))
        {
            return new UniqueIndexes(table, [], []);
        }

        var types = QueryPlanner.TypesOf(table);
        var indexes = new List<Index>();
        foreach (var definition in definitions.OrderBy(i => i.Id))
        {
            if (catalog.StorageOf(definition) is not { } storage)
            {
                continue;
            }

            var ordinals = storage.Columns.Select(c => table.IndexOf(c.Name)).ToArray();
            indexes.Add(new Index(definition, storage, ordinals, [.. ordinals.Select(o => types[o])], definition.Columns.Count));
        }

        return new UniqueIndexes(table, types, [.. indexes]);
    }

    /// <summary>
    /// Checks that a new row's values are free in every index (locking their entries), and when they are, adds
    /// its entries. Throws 23505 for the first index that has the values already.
    /// </summary>
    public async ValueTask InsertAsync(Transaction tx, object?[] row, CancellationToken cancellationToken)
    {
        if (await FindConflictAsync(tx, row, cancellationToken).ConfigureAwait(false) is { } taken)
        {
            throw Duplicate(taken, row);
        }

        Add(tx, row);
    }

    /// <summary>
    /// The first index whose entry for <paramref name="row"/>'s values is taken by another row, locking each entry
    /// it looks at; null when all are free.
    /// </summary>
    public async ValueTask<int?> FindConflictAsync(Transaction tx, object?[] row, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _indexes.Length; i++)
        {
            if (EntryOf(_indexes[i], row) is { } entry
                && (await tx.LockRowAsync(_indexes[i].Storage, entry.Key, allowChanged: true, cancellationToken).ConfigureAwait(false)).Row is not null)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>The primary key, in the table's storage form, of the row holding index <paramref name="index"/>'s entry for <paramref name="row"/>'s values, or null.</summary>
    public async ValueTask<byte[]?> RowKeyOfEntryAsync(Transaction tx, int index, object?[] row, CancellationToken cancellationToken)
    {
        var unique = _indexes[index];
        if (EntryOf(unique, row) is not { } entry
            || (await tx.LockRowAsync(unique.Storage, entry.Key, allowChanged: true, cancellationToken).ConfigureAwait(false)).Row is not { } stored)
        {
            return null;
        }

        // The entry holds every primary-key column (in its key or after it); rebuild the row's key from them.
        var values = StorageValues.Decode(unique.Storage.Layout, unique.Types, stored);
        var holder = new object?[_table.Columns.Count];
        for (var c = 0; c < unique.Ordinals.Length; c++)
        {
            holder[unique.Ordinals[c]] = values[c];
        }

        return StorageValues.EncodeKey(_table.Layout, _types, holder);
    }

    /// <summary>
    /// Whether index <paramref name="index"/> holds <paramref name="row"/>'s values (a row in the table's column
    /// order; only the indexed columns are read), locking the entry shared as a foreign-key check does.
    /// </summary>
    public async ValueTask<bool> HasEntrySharedAsync(Transaction tx, int index, object?[] row, CancellationToken cancellationToken)
    {
        var unique = _indexes[index];
        var values = new object?[unique.Ordinals.Length];
        for (var c = 0; c < unique.KeyCount; c++)
        {
            values[c] = row[unique.Ordinals[c]];
        }

        var key = StorageValues.EncodeKey(unique.Storage.Layout, unique.Types, values);
        return await tx.LockRowSharedAsync(unique.Storage, key, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Adds <paramref name="row"/>'s entries, once <see cref="FindConflictAsync"/> found them free.</summary>
    public void Add(Transaction tx, object?[] row)
    {
        foreach (var unique in _indexes)
        {
            if (EntryOf(unique, row) is { } entry)
            {
                tx.PutOwned(unique.Storage, entry.Row);
            }
        }
    }

    /// <summary>Moves a row's entries from its values in <paramref name="before"/> to those in <paramref name="after"/>; 23505 when one is taken.</summary>
    public async ValueTask UpdateAsync(Transaction tx, object?[] before, object?[] after, CancellationToken cancellationToken)
    {
        foreach (var unique in _indexes)
        {
            var old = EntryOf(unique, before);
            var now = EntryOf(unique, after);
            if (old is { } o && now is { } n && o.Row.AsSpan().SequenceEqual(n.Row))
            {
                continue;
            }

            if (old is { } removed)
            {
                await tx.LockRowAsync(unique.Storage, removed.Key, allowChanged: true, cancellationToken).ConfigureAwait(false);
                tx.Delete(unique.Storage, removed.Key);
            }

            if (now is { } added)
            {
                if ((await tx.LockRowAsync(unique.Storage, added.Key, allowChanged: true, cancellationToken).ConfigureAwait(false)).Row is not null)
                {
                    throw Duplicate(Array.IndexOf(_indexes, unique), after);
                }

                tx.PutOwned(unique.Storage, added.Row);
            }
        }
    }

    /// <summary>Removes a deleted row's entries.</summary>
    public async ValueTask DeleteAsync(Transaction tx, object?[] row, CancellationToken cancellationToken)
    {
        foreach (var unique in _indexes)
        {
            if (EntryOf(unique, row) is { } entry)
            {
                await tx.LockRowAsync(unique.Storage, entry.Key, allowChanged: true, cancellationToken).ConfigureAwait(false);
                tx.Delete(unique.Storage, entry.Key);
            }
        }
    }

    /// <summary>
    /// Fills index <paramref name="definition"/> (just created, empty) from the table's rows as this transaction
    /// sees them: PostgreSQL's 23505 <c>could not create unique index</c> when two rows share values.
    /// </summary>
    public static async ValueTask BuildAsync(Transaction tx, TableDefinition table, IndexDefinition definition, CancellationToken cancellationToken)
    {
        var indexes = For(tx.Catalog, table);
        var position = Array.FindIndex(indexes._indexes, i => i.Definition.Id == definition.Id);
        var unique = indexes._indexes[position];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in TableRows.ReadAsync(tx, table, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (EntryOf(unique, row) is not { } entry)
            {
                continue;
            }

            if (!seen.Add(Convert.ToBase64String(entry.Key)))
            {
                throw new SqlException(
                    SqlState.UniqueViolation,
                    $"could not create unique index \"{definition.Name}\"",
                    detail: $"Key {KeyText(unique, row)} is duplicated.")
                {
                    Schema = table.Schema,
                    Table = table.Name,
                    Constraint = definition.Name,
                };
            }

            tx.PutOwned(unique.Storage, entry.Row);
        }
    }

    /// <summary>The 23505 error for <paramref name="row"/>'s values already being in index <paramref name="index"/>.</summary>
    public SqlException Duplicate(int index, object?[] row) => new(
        SqlState.UniqueViolation,
        $"duplicate key value violates unique constraint \"{_indexes[index].Definition.Name}\"",
        detail: $"Key {KeyText(_indexes[index], row)} already exists.")
    {
        Schema = _table.Schema,
        Table = _table.Name,
        Constraint = _indexes[index].Definition.Name,
    };

    /// <summary>PostgreSQL's <c>(a, b)=(1, x)</c> form of an index's values in a row.</summary>
    private static string KeyText(Index unique, object?[] row)
    {
        var names = string.Join(", ", unique.Storage.Columns.Take(unique.KeyCount).Select(c => c.Name));
        var values = string.Join(", ", Enumerable.Range(0, unique.KeyCount).Select(k => SqlText.Format(row[unique.Ordinals[k]]!, unique.Types[k])));
        return $"({names})=({values})";
    }

    /// <summary>The entry (storage row and its key) <paramref name="row"/> has in <paramref name="unique"/>, or null when an indexed value is NULL.</summary>
    private static (byte[] Row, byte[] Key)? EntryOf(Index unique, object?[] row)
    {
        var values = new object?[unique.Ordinals.Length];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = row[unique.Ordinals[c]];
            if (c < unique.KeyCount && values[c] is null)
            {
                return null;
            }
        }

        var encoded = StorageValues.Encode(unique.Storage.Layout, unique.Types, values);
        return (encoded, Shard.PrimaryKeyOf(unique.Storage.Layout, encoded));
    }

    /// <summary>One index: its definition, entry table, the table column behind each entry column, their types, and how many lead the key.</summary>
    private sealed record Index(IndexDefinition Definition, TableDefinition Storage, int[] Ordinals, SqlType[] Types, int KeyCount);
}
