using System.Collections.Concurrent;
using LumaDB.Engine.Catalog;
using LumaDB.Storage.Shards;

namespace LumaDB.Engine.Hosting;

/// <summary>Sequence values: handed out outside transactions, logged ahead so a crash never repeats one.</summary>
public sealed partial class Database
{
    /// <summary>
    /// Values one logged write covers, as PostgreSQL's 32: a nextval writes to the WAL once per this many calls,
    /// and a crash skips at most this many values.
    /// </summary>
    internal const int SequenceLogAhead = 32;

    private readonly ConcurrentDictionary<ulong, SequenceState> _sequenceStates = new();
    private Dictionary<ulong, (long Last, bool IsCalled)> _storedSequenceValues = [];

    /// <summary>
    /// The sequence's next value. It is taken for good: a rollback does not return it. Blocks while the value's
    /// block is logged (once per <see cref="SequenceLogAhead"/> calls), like PostgreSQL's nextval.
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

            var covered = state.HasLogged && !wrapped && (sequence.Increment > 0 ? next <= state.Logged : next >= state.Logged);
            if (!covered)
            {
                var room = sequence.Increment > 0
                    ? ((Int128)sequence.MaxValue - next) / sequence.Increment
                    : ((Int128)next - sequence.MinValue) / -(Int128)sequence.Increment;
                var ahead = next + ((long)Int128.Min(room, SequenceLogAhead - 1) * sequence.Increment);

                // Synchronous because expressions are: the wait happens once per block of values.
                AppendAsync(SequenceStore.Write(sequence.Id, ahead, isCalled: true)).AsTask().GetAwaiter().GetResult();
                state.Logged = ahead;
                state.HasLogged = true;
            }

            state.Last = next;
            state.IsCalled = true;
            return next;
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
            var logged = state.HasLogged && state.IsCalled ? (long)(((Int128)state.Logged - state.Last) / sequence.Increment) : 0;
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
    }
}
