using System.Globalization;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>What a DML statement does with each source row.</summary>
internal enum DmlKind
{
    Insert,
    Update,
    Delete,
}

/// <summary>
/// INSERT, UPDATE or DELETE: a source plan (the rows to insert, or the target rows matching WHERE), then
/// per-row writes on the transaction with NOT NULL and primary-key checks, ON CONFLICT, and RETURNING.
/// </summary>
internal sealed class DmlPlan : StatementPlan
{
    public DmlPlan(ulong catalogVersion, DmlKind kind, TableDefinition table, PlanNode source, IReadOnlyList<ScanNode> scans)
        : base(catalogVersion)
    {
        Kind = kind;
        Table = table;
        Source = source;
        Scans = scans;
        Types = QueryPlanner.TypesOf(table);
        HasDeclaredKey = QueryPlanner.HasDeclaredKey(table);
    }

    public DmlKind Kind { get; }

    public TableDefinition Table { get; }

    public PlanNode Source { get; }

    public IReadOnlyList<ScanNode> Scans { get; }

    public SqlType[] Types { get; }

    public bool HasDeclaredKey { get; }

    public string Label => $"{Kind} on {Table.Name}";

    /// <summary>INSERT: for each source column, the table column it fills.</summary>
    public int[] TargetColumns { get; init; } = [];

    /// <summary>INSERT: values for columns the statement does not name (defaults), by table column; null entries are NULL.</summary>
    public BoundExpression?[] Defaults { get; init; } = [];

    /// <summary>UPDATE SET (table column, value over the target row) and ON CONFLICT DO UPDATE SET (over target row + excluded row).</summary>
    public (int Column, BoundExpression Value)[] Assignments { get; init; } = [];

    public OnConflictAction OnConflict { get; init; }

    /// <summary>
    /// The constraint ON CONFLICT arbitrates: <see cref="AnyConstraint"/> (a target-less DO NOTHING),
    /// <see cref="PrimaryKeyConstraint"/>, or the position of a unique index in <see cref="Uniques"/>.
    /// </summary>
    public int Arbiter { get; init; } = PrimaryKeyConstraint;

    /// <summary>The table's unique indexes, kept in step with every row written.</summary>
    public required UniqueIndexes Uniques { get; init; }

    /// <summary>The FOREIGN KEY constraints the table's rows take part in, either side.</summary>
    public required ReferentialIntegrity References { get; init; }

    public const int PrimaryKeyConstraint = -1;

    public const int AnyConstraint = -2;

    /// <summary>INSERT and UPDATE: the table's CHECK constraints bound over its columns; every written row must pass them.</summary>
    public (string Name, BoundExpression Condition)[] Checks { get; init; } = [];

    public BoundExpression? ConflictWhere { get; init; }

    public IReadOnlyList<BoundExpression> ReturningExpressions { get; init; } = [];

    public IReadOnlyList<ResultColumn> Returning { get; init; } = [];

    public override async ValueTask<StatementOutcome> ExecuteAsync(StatementContext context, IReadOnlyList<object?> parameters)
    {
        var runtime = await context.StartAsync(Scans, parameters, preload: true).ConfigureAwait(false);
        var tx = context.Transaction;
        var layout = Table.Layout;
        var returned = new List<object?[]>();
        long count = 0;
        var one = new ResultBatch([], 1);
        // Defaults of the columns the insert leaves out: stable ones once for the statement, volatile ones
        // (nextval, random) once per row. A column the insert names takes no default, so no sequence value is spent on it.
        var defaulted = Kind == DmlKind.Insert ? Defaults.Select((d, c) => Array.IndexOf(TargetColumns, c) < 0 ? d : null).ToArray() : [];
        var defaults = defaulted.Select(d => d is null || BoundTree.IsVolatile(d) ? null : BatchOps.Evaluate(runtime, d, one).GetValue(0)).ToArray();
        var volatileDefaults = defaulted.Select(d => d is not null && BoundTree.IsVolatile(d) ? d : null).ToArray();
        var tableColumns = Table.Columns.Select((c, i) => new PlanColumn(Table.Name, c.Name, Types[i])).ToArray();
        var references = References.IsEmpty ? null : References.Start();
        foreach (var batch in Source.Run(runtime).ToList())
        {
            runtime.ThrowIfCancelled();

            // One value per row, taken in row order for the whole batch at once.
            var perRow = volatileDefaults.Select(d => d is null ? null : BatchOps.Evaluate(runtime, d, new ResultBatch([], batch.RowCount))).ToArray();
            ColumnVector[]? assigned = Kind == DmlKind.Update ? Assignments.Select(a => BatchOps.Evaluate(runtime, a.Value, batch)).ToArray() : null;
            for (var r = 0; r < batch.RowCount; r++)
            {
                switch (Kind)
                {
                    case DmlKind.Insert:
                        {
                            var values = new object?[Types.Length];
                            for (var c = 0; c < values.Length; c++)
                            {
                                values[c] = Table.Columns[c].Name == QueryPlanner.RowIdColumn ? RowIds.Next()
                                    : perRow[c] is { } taken ? taken.GetValue(r)
                                    : defaults[c];
                            }

                            for (var i = 0; i < TargetColumns.Length; i++)
                            {
                                values[TargetColumns[i]] = batch.Columns[i].GetValue(r);
                            }

                            TableConstraints.CheckNotNull(Table, values);
                            CheckConstraints.CheckRow(runtime, Table, tableColumns, Checks, values);
                            var row = StorageValues.Encode(layout, Types, values);
                            var key = Shard.PrimaryKeyOf(layout, row);
                            byte[]? existing = null;
                            if (OnConflict != OnConflictAction.None && Arbiter >= 0
                                && await Uniques.RowKeyOfEntryAsync(tx, Arbiter, values, context.Cancellation).ConfigureAwait(false) is { } holder)
                            {
                                existing = await DmlRowLocks.LockNewKeyAsync(this, context, holder).ConfigureAwait(false);
                            }

                            if (existing is null && HasDeclaredKey && await DmlRowLocks.LockNewKeyAsync(this, context, key).ConfigureAwait(false) is { } sameKey)
                            {
                                if (OnConflict == OnConflictAction.None || Arbiter >= 0)
                                {
                                    throw TableConstraints.DuplicateKey(Table, Types, values);
                                }

                                existing = sameKey;
                            }

                            if (existing is null && !Uniques.IsEmpty
                                && await Uniques.FindConflictAsync(tx, values, context.Cancellation).ConfigureAwait(false) is { } clash)
                            {
                                if (OnConflict == OnConflictAction.Nothing && Arbiter == AnyConstraint)
                                {
                                    continue;
                                }

                                throw Uniques.Duplicate(clash, values);
                            }

                            if (existing is not null)
                            {
                                if (OnConflict == OnConflictAction.Nothing)
                                {
                                    continue;
                                }

                                var current = StorageValues.Decode(layout, Types, existing);
                                var pair = BatchOps.FromRows([.. tableColumns, .. tableColumns], [[.. current, .. values]]);
                                if (ConflictWhere is not null && BatchOps.Evaluate(runtime, ConflictWhere, pair) is var keep && (keep.IsNull(0) || !keep.As<bool>()[0]))
                                {
                                    continue;
                                }

                                var updated = (object?[])current.Clone();
                                foreach (var (column, value) in Assignments)
                                {
                                    updated[column] = BatchOps.Evaluate(runtime, value, pair).GetValue(0);
                                }

                                TableConstraints.CheckNotNull(Table, updated);
                                CheckConstraints.CheckRow(runtime, Table, tableColumns, Checks, updated);
                                await WriteUpdatedAsync(context, current, updated).ConfigureAwait(false);
                                references?.Written(current, updated);
                                values = updated;
                            }
                            else
                            {
                                tx.Put(Table, row);
                                Uniques.Add(tx, values);
                                references?.Written(null, values);
                            }

                            count++;
                            if (ReturningExpressions.Count > 0)
                            {
                                returned.Add(values);
                            }

                            break;
                        }

                    case DmlKind.Update:
                        {
                            var (current, changed) = await DmlRowLocks.LockTargetAsync(this, context, runtime, BatchOps.Row(batch, r)).ConfigureAwait(false);
                            if (current is null)
                            {
                                break;
                            }

                            var updated = changed ? DmlRowLocks.Assign(this, runtime, current) : (object?[])current.Clone();
                            for (var a = 0; a < Assignments.Length && !changed; a++)
                            {
                                updated[Assignments[a].Column] = assigned![a].GetValue(r);
                            }

                            TableConstraints.CheckNotNull(Table, updated);
                            CheckConstraints.CheckRow(runtime, Table, tableColumns, Checks, updated);
                            await WriteUpdatedAsync(context, current, updated).ConfigureAwait(false);
                            references?.Written(current, updated);
                            count++;
                            if (ReturningExpressions.Count > 0)
                            {
                                returned.Add(updated);
                            }

                            break;
                        }

                    default:
                        {
                            var (current, _) = await DmlRowLocks.LockTargetAsync(this, context, runtime, BatchOps.Row(batch, r)).ConfigureAwait(false);
                            if (current is null)
                            {
                                break;
                            }

                            tx.Delete(Table, Shard.PrimaryKeyOf(layout, StorageValues.Encode(layout, Types, current)));
                            await Uniques.DeleteAsync(tx, current, context.Cancellation).ConfigureAwait(false);
                            references?.Written(current, null);
                            count++;
                            if (ReturningExpressions.Count > 0)
                            {
                                returned.Add(current);
                            }

                            break;
                        }
                }
            }
        }

        if (references is not null)
        {
            await references.FinishAsync(tx, context, context.Cancellation).ConfigureAwait(false);
        }

        var tag = Kind switch
        {
            DmlKind.Insert => "INSERT 0 " + count.ToString(CultureInfo.InvariantCulture),
            DmlKind.Update => "UPDATE " + count.ToString(CultureInfo.InvariantCulture),
            _ => "DELETE " + count.ToString(CultureInfo.InvariantCulture),
        };
        if (ReturningExpressions.Count == 0)
        {
            return new StatementOutcome([], null, tag);
        }

        var rows = BatchOps.FromRows(tableColumns, returned);
        var output = ReturningExpressions.Select(e => BatchOps.Evaluate(runtime, e, rows)).ToArray();
        return new StatementOutcome(Returning, [new ResultBatch(output, rows.RowCount)], tag);
    }

    private async ValueTask WriteUpdatedAsync(StatementContext context, object?[] current, object?[] updated)
    {
        var tx = context.Transaction;
        var layout = Table.Layout;
        var oldKey = Shard.PrimaryKeyOf(layout, StorageValues.Encode(layout, Types, current));
        var row = StorageValues.Encode(layout, Types, updated);
        var newKey = Shard.PrimaryKeyOf(layout, row);
        if (!oldKey.AsSpan().SequenceEqual(newKey))
        {
            if (await DmlRowLocks.LockNewKeyAsync(this, context, newKey).ConfigureAwait(false) is not null)
            {
                throw TableConstraints.DuplicateKey(Table, Types, updated);
            }

            tx.Delete(Table, oldKey);
        }

        tx.Put(Table, row);
        await Uniques.UpdateAsync(tx, current, updated, context.Cancellation).ConfigureAwait(false);
    }
}

/// <summary>INSERT ... ON CONFLICT behaviour.</summary>
internal enum OnConflictAction
{
    None,
    Nothing,
    Update,
}
