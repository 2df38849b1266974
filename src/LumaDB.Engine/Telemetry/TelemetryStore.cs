using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Transactions;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Telemetry;

/// <summary>
/// Writes spans and log records into <c>otel_traces</c> and <c>otel_logs</c> and reads traces back. The tables
/// are created in the catalog the first time they are needed (the server asks at start-up).
/// </summary>
public sealed partial class TelemetryStore : IDisposable
{
    private readonly Database _database;
    private readonly TelemetryTableOptions _options;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private readonly TimeProvider _time;
    private long _nextLogId;
    private volatile TelemetryTables? _tables;

    /// <summary>Creates a store over <paramref name="database"/>.</summary>
    public TelemetryStore(Database database, TelemetryTableOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _database = database;
        _options = options;

        // Log ids only need to be unique; starting from the clock in nanoseconds keeps them unique across restarts.
        _nextLogId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
    }

    /// <summary>Creates the tables if absent and returns their definitions.</summary>
    /// <exception cref="TelemetryTableException">A table of that name exists with columns the writers cannot fill.</exception>
    public async ValueTask<TelemetryTables> EnsureTablesAsync(CancellationToken cancellationToken = default)
    {
        if (_tables is { } known)
        {
            return known;
        }

        await _createGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_tables is { } created)
            {
                return created;
            }

            var wantedTraces = OtelTracesTable.Definition(_options.TracesTtl);
            var wantedLogs = OtelLogsTable.Definition(_options.LogsTtl);
            while (true)
            {
                var transaction = _database.BeginTransaction();
                await using (transaction.ConfigureAwait(false))
                {
                    var traces = transaction.Catalog.FindTable(wantedTraces.Schema, wantedTraces.Name);
                    var logs = transaction.Catalog.FindTable(wantedLogs.Schema, wantedLogs.Name);
                    if (traces is null || logs is null)
                    {
                        traces ??= transaction.CreateTable(wantedTraces);
                        logs ??= transaction.CreateTable(wantedLogs);
                        try
                        {
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (TransactionConflictException conflict) when (conflict.CatalogChanged)
                        {
                            // A client's DDL (often the first thing it sends a fresh server) committed first; look again.
                            continue;
                        }
                    }

                    CheckShape(traces, wantedTraces);
                    CheckShape(logs, wantedLogs);
                    return _tables = new TelemetryTables(traces, logs);
                }
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    /// <summary>Stores spans in one commit; durable when this returns.</summary>
    public async ValueTask WriteSpansAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return;
        }

        var table = (await EnsureTablesAsync(cancellationToken).ConfigureAwait(false)).Traces;
        await AppendRowsAsync(table, spans, TelemetryRows.FillSpan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores log records in one commit; durable when this returns. Assigns each record's log id.</summary>
    public async ValueTask WriteLogsAsync(IReadOnlyList<LogEntry> logs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.Count == 0)
        {
            return;
        }

        var table = (await EnsureTablesAsync(cancellationToken).ConfigureAwait(false)).Logs;
        var first = Interlocked.Add(ref _nextLogId, logs.Count) - logs.Count;
        for (var i = 0; i < logs.Count; i++)
        {
            if (logs[i].LogId == 0)
            {
                logs[i].LogId = first + i;
            }
        }

        await AppendRowsAsync(table, logs, TelemetryRows.FillLog, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores rows already encoded for the telemetry tables (by a decoder that builds them straight from the wire)
    /// in one commit; durable when this returns.
    /// </summary>
    public async ValueTask AppendAsync(WriteBatch rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > 0)
        {
            await _database.AppendAsync(rows, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reserves <paramref name="count"/> consecutive log ids and returns the first.</summary>
    public long ReserveLogIds(int count) => Interlocked.Add(ref _nextLogId, count) - count;

    /// <inheritdoc />
    public void Dispose() => _createGate.Dispose();

    private async ValueTask AppendRowsAsync<T>(TableDefinition table, IReadOnlyList<T> items, Action<RowBuilder, T> fill, CancellationToken cancellationToken)
    {
        // Spans and log records are keyed by ids the sender chose (or unique ones we assign) and never updated,
        // so they take the blind ingest path: one WAL record, no snapshot and no conflict check.
        var builder = new RowBuilder(table.Layout);
        var batch = new WriteBatch();
        foreach (var item in items)
        {
            builder.Reset();
            fill(builder, item);
            batch.Put(builder);
        }

        await _database.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckShape(TableDefinition actual, TableDefinition wanted)
    {
        var same = actual.Columns.Count == wanted.Columns.Count;
        for (var i = 0; same && i < wanted.Columns.Count; i++)
        {
            same = actual.Columns[i].Name == wanted.Columns[i].Name && actual.Columns[i].StorageKind == wanted.Columns[i].StorageKind;
        }

        if (!same)
        {
            throw new TelemetryTableException(
                $"Table {actual.Schema}.{actual.Name} exists with columns other than the ones OTLP ingest writes ({string.Join(", ", wanted.Columns.Select(c => c.Name))}); drop or rename it.");
        }
    }
}
