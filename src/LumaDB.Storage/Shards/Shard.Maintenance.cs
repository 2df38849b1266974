using System.Collections.Concurrent;
using LumaDB.Storage.Manifest;
using LumaDB.Storage.ObjectStore;

namespace LumaDB.Storage.Shards;

/// <content>
/// Maintenance: retention (a TTL per table drops whole segments), background compaction and the tiering schedule,
/// run one at a time under one gate, on a timer and after flushes.
/// </content>
public sealed partial class Shard
{
    private readonly SemaphoreSlim _maintenanceGate = new(1, 1);
    private readonly CancellationTokenSource _maintenanceStop = new();
    private readonly ConcurrentDictionary<ulong, TimeSpan> _ttls = new();
    private Task _maintenanceLoop = Task.CompletedTask;
    private Task _backgroundCompaction = Task.CompletedTask;
    private Exception? _maintenanceError;

    /// <summary>The error of the last background compaction, retention or tiering run that failed, or null.</summary>
    public Exception? LastMaintenanceError => Volatile.Read(ref _maintenanceError);

    /// <summary>Sets (or with null, clears) the retention TTL of a table: its segments wholly older than now - TTL are dropped.</summary>
    public void SetRetention(ulong tableId, TimeSpan? ttl)
    {
        if (ttl is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(ttl));
            _ttls[tableId] = value;
        }
        else
        {
            _ttls.TryRemove(tableId, out _);
        }
    }

    /// <summary>The retention TTL of a table, or null when its rows are kept forever.</summary>
    public TimeSpan? RetentionOf(ulong tableId) => _ttls.TryGetValue(tableId, out var ttl) ? ttl : null;

    /// <summary>
    /// Drops every segment of <paramref name="table"/>, warm or cold, whose newest time-column value is before
    /// <paramref name="cutoff"/>: one manifest edit group, then the files and objects are deleted. Retention works
    /// on whole segments: rows older than the cutoff in a segment that also holds newer rows stay visible until
    /// the whole segment expires, and rows still in memtables are never dropped. Returns the ids dropped.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ApplyRetentionAsync(TableLayout table, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (table.TimeColumn < 0)
        {
            throw new ArgumentException($"Table {table.TableId} has no time column; retention needs one.", nameof(table));
        }

        await _maintenanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DropExpiredAsync(table.TableId, ToMicros(cutoff), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _maintenanceGate.Release();
        }
    }

    /// <summary>
    /// Applies every table's TTL at the shard's clock (<see cref="ShardOptions.TimeProvider"/>); returns the ids of
    /// the segments dropped.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var dropped = new List<Guid>();
        var now = _options.TimeProvider.GetUtcNow();
        await _maintenanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (tableId, ttl) in _ttls)
            {
                if (_tables.TryGetValue(tableId, out var table) && table.TimeColumn >= 0)
                {
                    dropped.AddRange(await DropExpiredAsync(tableId, ToMicros(now - ttl), cancellationToken).ConfigureAwait(false));
                }
            }
        }
        finally
        {
            _maintenanceGate.Release();
        }

        return dropped;
    }

    /// <summary>
    /// Moves to the cold tier every warm segment whose newest time-column value is older than
    /// <see cref="Tiering.TieringOptions.MoveAfter"/> at the shard's clock; nothing without an object store or
    /// that setting. Returns the entries moved.
    /// </summary>
    public async Task<IReadOnlyList<SegmentEntry>> RunTieringAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_tiering is null || _options.Tiering?.MoveAfter is not { } age)
        {
            return [];
        }

        await _maintenanceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _tiering.MoveOlderThanAsync(ToMicros(_options.TimeProvider.GetUtcNow() - age), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _maintenanceGate.Release();
        }
    }

    /// <summary>One round of maintenance: retention, then the compaction policy, then the tiering schedule.</summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken = default)
    {
        await ApplyRetentionAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Compaction.Background)
        {
            await CompactAsync(cancellationToken).ConfigureAwait(false);
        }

        await RunTieringAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private async Task<IReadOnlyList<Guid>> DropExpiredAsync(ulong tableId, long cutoffMicros, CancellationToken cancellationToken)
    {
        var expired = _manifest.Segments
            .Where(e => TableLayout.TableIdOf(e.Descriptor.MinKey) == tableId && e.Descriptor.MaxTimeMicros is { } max && max < cutoffMicros)
            .ToArray();
        if (expired.Length == 0)
        {
            return [];
        }

        var ids = expired.Select(e => e.Id).ToHashSet();
        _manifest.Commit([.. expired.Select(e => new SegmentRemoved(e.Id))]);
        lock (_applyLock)
        {
            var view = _view;
            _view = view with { Segments = view.Segments.Where(e => !ids.Contains(e.Id)).ToArray() };
        }

        foreach (var entry in expired)
        {
            await DeleteSegmentBytesAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        ShardLog.RetentionDropped(_logger, tableId, expired.Length, cutoffMicros);
        return [.. ids];
    }

    /// <summary>Starts the timer loop, when the options give an interval.</summary>
    private void StartMaintenance()
    {
        foreach (var (tableId, ttl) in _options.RetentionTtl)
        {
            SetRetention(tableId, ttl);
        }

        if (_options.MaintenanceInterval is { } interval && interval > TimeSpan.Zero && interval != Timeout.InfiniteTimeSpan)
        {
            _maintenanceLoop = Task.Run(() => MaintenanceLoopAsync(interval));
        }
    }

    private async Task MaintenanceLoopAsync(TimeSpan interval)
    {
        var stop = _maintenanceStop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _options.TimeProvider, stop).ConfigureAwait(false);
                await RunMaintenanceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (IsMaintenanceFailure(error))
            {
                _maintenanceError = error;
                ShardLog.MaintenanceFailed(_logger, error);
            }
        }
    }

    /// <summary>After a flush: merge in the background when a tier has become due.</summary>
    private void MaybeStartBackgroundCompaction()
    {
        if (!_options.Compaction.Background || _disposed || !_backgroundCompaction.IsCompleted || PickTier() is null)
        {
            return;
        }

        lock (_applyLock)
        {
            if (!_backgroundCompaction.IsCompleted)
            {
                return;
            }

            var stop = _maintenanceStop.Token;
            _backgroundCompaction = Task.Run(async () =>
            {
                try
                {
                    await CompactAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (ObjectDisposedException) when (_disposed)
                {
                    // Started just before a dispose began (a flush ending as the server stops): nothing failed.
                }
                catch (Exception error) when (IsMaintenanceFailure(error))
                {
                    _maintenanceError = error;
                    ShardLog.MaintenanceFailed(_logger, error);
                }
            });
        }
    }

    private static bool IsMaintenanceFailure(Exception error) =>
        error is IOException or InvalidOperationException or InvalidDataException or ObjectStoreException or UnauthorizedAccessException;

    /// <summary>Stops the loop and waits for background maintenance (part of dispose).</summary>
    private async Task StopMaintenanceAsync()
    {
        await _maintenanceStop.CancelAsync().ConfigureAwait(false);
        await _maintenanceLoop.ConfigureAwait(false);
        await _backgroundCompaction.ConfigureAwait(false);

        // Wait for a caller's maintenance run still inside the gate before the manifest closes.
        await _maintenanceGate.WaitAsync().ConfigureAwait(false);
        _maintenanceGate.Release();
    }
}
