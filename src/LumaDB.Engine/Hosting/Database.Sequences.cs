using System.Collections.Concurrent;
using LumaDB.Engine.Catalog;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Hosting;

/// <summary>Sequence values: handed out outside transactions, logged ahead so a crash never repeats one.</summary>
public sealed partial class Database
{
    /// <summary>
    /// Values one logged write covers at first, as PostgreSQL's 32: a nextval writes to the WAL once per this many
    /// calls, and a crash skips at most this many values.
    /// </summary>
    internal const int SequenceLogAhead = 32;

    /// <summary>
    /// Most values one logged write covers. A sequence whose callers catch up with its background write (the
    /// block runs out before the WAL has it) doubles its block, up to this: values then rarely wait on an
    /// fsync, at the price of a larger gap after a crash.
    /// </summary>
    internal const int SequenceLogAheadMax = 1024;

    private readonly ConcurrentDictionary<ulong, SequenceState> _sequenceStates = new();
    private Dictionary<ulong, (long Last, bool IsCalled)> _storedSequenceValues = [];

    /// <summary>
    /// The sequence's next value. It is taken for good: a rollback does not return it. Blocks while the value's
    /// block is logged, like PostgreSQL's nextval; the next block is usually logged in the background by then.
    /// </summary>
    /// <exception cref="SequenceLimitException">A sequence without CYCLE has reached its end.</exception>
    internal long NextSequenceValue(SequenceDefinition sequence)
    {
        var state = StateOf(sequence);
        lock (state)
        {
            long next;
            var wrapped = false;
            if (!state.IsCalled)
            {
                next = state.Last;
            }
            else if ((Int128)state.Last + sequence.Increment is var stepped && (stepped > sequence.MaxValue || stepped < sequence.MinValue))
            {
                if (!sequence.Cycle)
                {
                    throw new SequenceLimitException(sequence, sequence.Increment > 0);
                }

                next = sequence.Increment > 0 ? sequence.MinValue : sequence.MaxValue;
                wrapped = true;
            }
            else
            {
                next = state.Last + sequence.Increment;
            }

            if (next > sequence.MaxValue || next < sequence.MinValue)
            {
                // A restart or setval value the bounds have since moved past.
                throw new SequenceLimitException(sequence, next > sequence.MaxValue);
            }

            if (!Covers(state, sequence, next, wrapped))
            {
                // The next block is usually logged already (started half a block ago); otherwise log it now.
                // Synchronous because expressions are.
                Drain(state, apply: !wrapped);
                if (!Covers(state, sequence, next, wrapped))
                {
                    var ahead = Ahead(sequence, next, state.Block - 1);
                    AppendAsync(SequenceStore.Write(sequence.Id, ahead, isCalled: true)).AsTask().GetAwaiter().GetResult();
                    state.Logged = ahead;
                    state.HasLogged = true;
                }
            }

            state.Last = next;
            state.IsCalled = true;
            if (state.Pending is null && Remaining(sequence, next, state.Logged) < state.Block / 2 && Ahead(sequence, state.Logged, state.Block) is var further && further != state.Logged)
            {
                // Half the block is spent: log the next one in the background, so callers rarely wait on the WAL.
                state.Pending = AppendAsync(SequenceStore.Write(sequence.Id, further, isCalled: true)).AsTask();
                state.PendingAhead = further;
            }

            return next;
        }
    }

    /// <summary>Whether the log already covers <paramref name="next"/> (a wrap-around always needs a new block).</summary>
    private static bool Covers(SequenceState state, SequenceDefinition sequence, long next, bool wrapped) =>
        state.HasLogged && !wrapped && (sequence.Increment > 0 ? next <= state.Logged : next >= state.Logged);

    /// <summary>The value <paramref name="steps"/> increments past <paramref name="from"/>, stopping at the sequence's bound.</summary>
    private static long Ahead(SequenceDefinition sequence, long from, int steps)
    {
        var room = sequence.Increment > 0
            ? ((Int128)sequence.MaxValue - from) / sequence.Increment
            : ((Int128)from - sequence.MinValue) / -(Int128)sequence.Increment;
        return from + ((long)Int128.Min(Int128.Max(room, 0), steps) * sequence.Increment);
    }

    /// <summary>Values after <paramref name="last"/> the log still covers.</summary>
    private static Int128 Remaining(SequenceDefinition sequence, long last, long logged) => ((Int128)logged - last) / sequence.Increment;

    /// <summary>
    /// Waits for a background block write to finish, so no older write can land after a newer one; with
    /// <paramref name="apply"/> the log then covers up to it.
    /// </summary>
    private static void Drain(SequenceState state, bool apply)
    {
        if (state.Pending is not { } pending)
        {
            return;
        }

        state.Pending = null;
        if (apply && !pending.IsCompleted)
        {
            // The block ran out before its successor was logged: log further ahead from now on.
            state.Block = Math.Min(state.Block * 2, SequenceLogAheadMax);
        }

        pending.GetAwaiter().GetResult();
        if (apply && state.HasLogged)
        {
            state.Logged = state.PendingAhead;
        }
    }

    /// <summary>
    /// Sets the sequence's value (setval, ALTER SEQUENCE RESTART), logged before this returns: with
    /// <paramref name="isCalled"/> the next value follows <paramref name="value"/>, without it the next value is it.
    /// </summary>
    internal void SetSequenceValue(SequenceDefinition sequence, long value, bool isCalled)
    {
        var state = StateOf(sequence);
        lock (state)
        {
            Drain(state, apply: false);
            AppendAsync(SequenceStore.Write(sequence.Id, value, isCalled)).AsTask().GetAwaiter().GetResult();
            state.Last = value;
            state.IsCalled = isCalled;
            state.Logged = value;
            state.HasLogged = isCalled;
        }
    }

    /// <summary>
    /// What <c>SELECT * FROM seq</c> shows: the last value, how many more values the log already covers, and
    /// whether the last value has been handed out.
    /// </summary>
    internal (long Last, long LogCount, bool IsCalled) PeekSequence(SequenceDefinition sequence)
    {
        var state = StateOf(sequence);
        lock (state)
        {
            var logged = state.HasLogged && state.IsCalled ? (long)Remaining(sequence, state.Last, state.Logged) : 0;
            return (state.Last, Math.Max(0, logged), state.IsCalled);
        }
    }

    /// <summary>
    /// On a clean stop, stores each sequence's exact value over its logged-ahead one, so a restart continues
    /// without the gap a crash leaves.
    /// </summary>
    private async Task StoreExactSequenceValuesAsync()
    {
        var batch = new WriteBatch();
        foreach (var (id, state) in _sequenceStates)
        {
            lock (state)
            {
                try
                {
                    Drain(state, apply: true);
                }
                catch (Exception error) when (error is IOException or InvalidOperationException or ObjectDisposedException)
                {
                    // The exact value written next supersedes it anyway.
                }

                if (state.HasLogged && state.Logged != state.Last)
                {
                    batch.Put(SequenceStore.Layout, SequenceStore.Row(id, state.Last, state.IsCalled));
                    state.Logged = state.Last;
                }
            }
        }

        if (batch.Count > 0)
        {
            await AppendAsync(batch).ConfigureAwait(false);
        }
    }

    private SequenceState StateOf(SequenceDefinition sequence) => _sequenceStates.GetOrAdd(sequence.Id, static (id, arg) =>
    {
        var (stored, start) = arg;
        return stored.TryGetValue(id, out var value)
            ? new SequenceState { Last = value.Last, IsCalled = value.IsCalled, Logged = value.Last, HasLogged = value.IsCalled }
            : new SequenceState { Last = start };
    }, (_storedSequenceValues, sequence.Start));

    /// <summary>One sequence's value in memory; the instance is also its lock.</summary>
    private sealed class SequenceState
    {
        /// <summary>The last value handed out, or (not yet called) the next one to hand out.</summary>
        public long Last;

        public bool IsCalled;

        /// <summary>The furthest value the log covers: a restart continues after it.</summary>
        public long Logged;

        public bool HasLogged;

        /// <summary>A background write of the next block, covering up to <see cref="PendingAhead"/> once done.</summary>
        public Task? Pending;

        public long PendingAhead;

        /// <summary>Values one logged write covers now (see <see cref="SequenceLogAheadMax"/>).</summary>
        public int Block = SequenceLogAhead;
    }
}
