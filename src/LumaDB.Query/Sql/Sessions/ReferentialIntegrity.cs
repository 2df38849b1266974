using LumaDB.Engine.Catalog;
using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// The FOREIGN KEY constraints one table's writes must keep: those it declares (a written row's key must be in
/// the referenced table) and those of other tables that reference it (a removed or changed key must not be
/// referenced any more, or its referencing rows are deleted, nulled, defaulted or changed with it). As in
/// PostgreSQL, both are checked when the statement's rows are written, so a statement may insert a row and
/// the row it references in either order. A referenced row is locked shared, so a transaction deleting it
/// waits; the removing side reads referencing rows as of the newest commit once its row locks are held.
/// </summary>
internal sealed class ReferentialIntegrity
{
    private readonly TableDefinition _table;
    private readonly SqlType[] _types;
    private readonly Outgoing[] _outgoing;
    private readonly Incoming[] _incoming;

    private ReferentialIntegrity(TableDefinition table, SqlType[] types, Outgoing[] outgoing, Incoming[] incoming)
    {
        _table = table;
        _types = types;
        _outgoing = outgoing;
        _incoming = incoming;
    }

    /// <summary>No constraint either way: writers skip it.</summary>
    public bool IsEmpty => _outgoing.Length == 0 && _incoming.Length == 0;

    /// <summary>
    /// The constraints on <paramref name="table"/>'s writes as <paramref name="catalog"/> has them; with
    /// <paramref name="only"/>, just those of its own constraints (to check existing rows against new ones).
    /// </summary>
    public static ReferentialIntegrity For(CatalogSnapshot catalog, TableDefinition table, IReadOnlySet<string>? only = null)
    {
        if (ForeignKeys.All(catalog).Count == 0)
        {
            return new ReferentialIntegrity(table, [], [], []);
        }

        var types = QueryPlanner.TypesOf(table);
        var outgoing = new List<Outgoing>();
        foreach (var key in ForeignKeys.Of(table).Where(k => only is null || only.Contains(k.Name)))
        {
            if (catalog.FindTable(key.ParentSchema, key.ParentTable) is not { } parent)
            {
                continue;
            }

            var parentTypes = QueryPlanner.TypesOf(parent);
            var uniques = UniqueIndexes.For(catalog, parent);
            var keyed = TableConstraints.IsPrimaryKey(parent, key.ParentColumns);
            var index = keyed ? -1 : uniques.IndexOn(key.ParentColumns);
            if (!keyed && index < 0)
            {
                // DDL keeps the referenced key from going while a constraint needs it; a catalog without it is not one to write under.
                throw new SqlException(SqlState.InternalError, $"foreign key constraint \"{key.Name}\" has no key to look \"{parent.Name}\" rows up by");
            }

            outgoing.Add(new Outgoing(
                key, parent, parentTypes, [.. key.Columns.Select(table.IndexOf)], [.. key.ParentColumns.Select(parent.IndexOf)], index, uniques));
        }

        var incoming = new List<Incoming>();
        foreach (var (child, key) in only is null ? ForeignKeys.Referencing(catalog, table) : [])
        {
            incoming.Add(new Incoming(key, child, QueryPlanner.TypesOf(child), [.. key.ParentColumns.Select(table.IndexOf)], [.. key.Columns.Select(child.IndexOf)]));
        }

        return new ReferentialIntegrity(table, types, [.. outgoing], [.. incoming]);
    }

    /// <summary>Starts collecting one statement's writes.</summary>
    public Run Start() => new(this);

    /// <summary>One statement's keys to check: written references, and removed or changed referenced keys.</summary>
    internal sealed class Run(ReferentialIntegrity rules)
    {
        private readonly Dictionary<string, object?[]>[] _written = [.. rules._outgoing.Select(_ => new Dictionary<string, object?[]>(StringComparer.Ordinal))];
        private readonly List<(object?[] Old, object?[]? New)>[] _removed = [.. rules._incoming.Select(_ => new List<(object?[], object?[]?)>())];

        /// <summary>Notes a row written: <paramref name="before"/> null for an insert, <paramref name="after"/> null for a delete.</summary>
        public void Written(object?[]? before, object?[]? after)
        {
            for (var i = 0; i < rules._outgoing.Length; i++)
            {
                var ordinals = rules._outgoing[i].ChildOrdinals;
                if (after is not null && Complete(after, ordinals) && (before is null || Changed(before, after, ordinals)))
                {
                    _written[i].TryAdd(Text(after, ordinals, rules._types), after);
                }
            }

            for (var i = 0; i < rules._incoming.Length; i++)
            {
                var ordinals = rules._incoming[i].ParentOrdinals;
                if (before is not null && Complete(before, ordinals) && (after is null || Changed(before, after, ordinals)))
                {
                    _removed[i].Add((before, after));
                }
            }
        }

        /// <summary>
        /// Applies the referencing tables' actions for removed or changed keys (nested statements in
        /// <paramref name="context"/>), then checks every written reference; 23503 when one fails.
        /// </summary>
        public async ValueTask FinishAsync(Transaction tx, StatementContext? context, CancellationToken cancellationToken)
        {
            for (var i = 0; i < rules._incoming.Length; i++)
            {
                if (_removed[i].Count > 0)
                {
                    await RemovedAsync(rules._incoming[i], _removed[i], tx, context, cancellationToken).ConfigureAwait(false);
                }
            }

            for (var i = 0; i < rules._outgoing.Length; i++)
            {
                foreach (var row in _written[i].Values)
                {
                    await CheckReferenceAsync(rules._outgoing[i], row, tx, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async ValueTask CheckReferenceAsync(Outgoing key, object?[] row, Transaction tx, CancellationToken cancellationToken)
        {
            var holder = new object?[key.Parent.Columns.Count];
            for (var c = 0; c < key.ChildOrdinals.Length; c++)
            {
                var value = ForeignKeys.Convert(row[key.ChildOrdinals[c]], rules._types[key.ChildOrdinals[c]], key.ParentTypes[key.ParentOrdinals[c]]);
                if (value is null)
                {
                    // Out of the referenced column's range: no row can hold it.
                    throw NotPresent(key, row);
                }

                holder[key.ParentOrdinals[c]] = value;
            }

            var present = key.UniqueIndex < 0
                ? await tx.LockRowSharedAsync(key.Parent, StorageValues.EncodeKey(key.Parent.Layout, key.ParentTypes, holder), cancellationToken).ConfigureAwait(false) is not null
                : await key.ParentUniques.HasEntrySharedAsync(tx, key.UniqueIndex, holder, cancellationToken).ConfigureAwait(false);
            if (!present)
            {
                throw NotPresent(key, row);
            }
        }

        private SqlException NotPresent(Outgoing key, object?[] row) => new(
            SqlState.ForeignKeyViolation,
            $"insert or update on table \"{rules._table.Name}\" violates foreign key constraint \"{key.Key.Name}\"",
            detail: $"Key ({string.Join(", ", key.Key.Columns)})=({Text(row, key.ChildOrdinals, rules._types)}) is not present in table \"{key.Parent.Name}\".")
        {
            Schema = rules._table.Schema,
            Table = rules._table.Name,
            Constraint = key.Key.Name,
        };

        private async ValueTask RemovedAsync(Incoming key, List<(object?[] Old, object?[]? New)> removed, Transaction tx, StatementContext? context, CancellationToken cancellationToken)
        {
            var deleting = removed[0].New is null;
            var action = deleting ? key.Key.OnDelete : key.Key.OnUpdate;
            if (action is ReferentialAction.Cascade or ReferentialAction.SetNull or ReferentialAction.SetDefault && context is not null)
            {
                // Nested statements see the newest commits, as the referencing rows a lock wait let commit must be found.
                tx.BeginStatement();
                foreach (var (old, now) in removed)
                {
                    await ActAsync(key, action, old, now, context, cancellationToken).ConfigureAwait(false);
                }
            }

            var keys = removed.Select(r => Text(r.Old, key.ParentOrdinals, rules._types)).ToHashSet(StringComparer.Ordinal);
            var referencing = await FindReferencingAsync(key, keys, tx, cancellationToken).ConfigureAwait(false);
            if (referencing is null)
            {
                return;
            }

            if (action is ReferentialAction.Cascade or ReferentialAction.SetNull or ReferentialAction.SetDefault)
            {
                throw new SqlException(SqlState.SerializationFailure, "could not serialize access due to concurrent update");
            }

            throw new SqlException(
                SqlState.ForeignKeyViolation,
                $"update or delete on table \"{rules._table.Name}\" violates foreign key constraint \"{key.Key.Name}\" on table \"{key.Child.Name}\"",
                detail: $"Key ({string.Join(", ", key.Key.ParentColumns)})=({referencing}) is still referenced from table \"{key.Child.Name}\".")
            {
                Schema = key.Child.Schema,
                Table = key.Child.Name,
                Constraint = key.Key.Name,
            };
        }

        /// <summary>The text of the first removed key a referencing row (as of the newest commit, with this transaction's writes) still holds, or null.</summary>
        private static async ValueTask<string?> FindReferencingAsync(Incoming key, HashSet<string> keys, Transaction tx, CancellationToken cancellationToken)
        {
            await foreach (var row in TableRows.ReadAsync(tx, key.Child, latest: true, cancellationToken).ConfigureAwait(false))
            {
                if (Complete(row, key.ChildOrdinals) && Text(row, key.ChildOrdinals, key.ChildTypes) is var text && keys.Contains(text))
                {
                    return text;
                }
            }

            return null;
        }

        /// <summary>ON DELETE/UPDATE CASCADE, SET NULL or SET DEFAULT for one removed key, as a statement on the referencing table.</summary>
        private async ValueTask ActAsync(Incoming key, ReferentialAction action, object?[] old, object?[]? now, StatementContext context, CancellationToken cancellationToken)
        {
            var child = key.Child;
            var target = PgCatalog.QuoteIdentifier(child.Schema) + "." + PgCatalog.QuoteIdentifier(child.Name);
            var names = key.ChildOrdinals.Select(o => PgCatalog.QuoteIdentifier(child.Columns[o].Name)).ToArray();
            var parameters = new List<object?>();
            var types = new List<SqlType>();
            var where = string.Join(" AND ", names.Select((n, c) => $"{n} = {Parameter(old[key.ParentOrdinals[c]], c)}"));
            var text = action switch
            {
                ReferentialAction.Cascade when now is null => $"DELETE FROM {target} WHERE {where}",
                ReferentialAction.Cascade => $"UPDATE {target} SET {string.Join(", ", names.Select((n, c) => $"{n} = {Parameter(now[key.ParentOrdinals[c]], c)}"))} WHERE {where}",
                ReferentialAction.SetNull => $"UPDATE {target} SET {string.Join(", ", names.Select(n => n + " = NULL"))} WHERE {where}",
                _ => $"UPDATE {target} SET {string.Join(", ", names.Select(n => n + " = DEFAULT"))} WHERE {where}",
            };
            var statement = SqlParser.ParseScript(text).Statements[0];
            var prepared = StatementPlanner.Prepare(text, statement, context.Transaction.Catalog, context.SystemTables, types, context.Settings);
            cancellationToken.ThrowIfCancellationRequested();
            await ((StatementPlan)prepared.Plan!).ExecuteAsync(context, parameters).ConfigureAwait(false);

            string Parameter(object? value, int c)
            {
                var type = key.ChildTypes[key.ChildOrdinals[c]];
                parameters.Add(ForeignKeys.Convert(value, rules._types[key.ParentOrdinals[c]], type));
                types.Add(type);
                return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        private static bool Complete(object?[] row, int[] ordinals) => ordinals.All(o => row[o] is not null);

        private bool Changed(object?[] before, object?[] after, int[] ordinals) => Text(before, ordinals, rules._types) != Text(after, ordinals, rules._types);

        /// <summary>A key's values as PostgreSQL's DETAIL prints them, which also compares keys across comparable types.</summary>
        private static string Text(object?[] row, int[] ordinals, SqlType[] types) =>
            string.Join(", ", ordinals.Select(o => row[o] is { } value ? SqlText.Format(value, types[o]) : "null"));
    }

    /// <summary>A constraint the table declares: the referenced table, how its key is looked up (-1: primary key, else a unique index), and the columns on each side.</summary>
    private sealed record Outgoing(ForeignKey Key, TableDefinition Parent, SqlType[] ParentTypes, int[] ChildOrdinals, int[] ParentOrdinals, int UniqueIndex, UniqueIndexes ParentUniques);

    /// <summary>A constraint of another table (or this one) that references this table.</summary>
    private sealed record Incoming(ForeignKey Key, TableDefinition Child, SqlType[] ChildTypes, int[] ParentOrdinals, int[] ChildOrdinals);
}
