using LumaDB.Engine.Catalog;

namespace LumaDB.Engine.Tests.Transactions;

/// <summary>
/// Sequence values against crashes: a copy of the data directory taken at any moment (what a crash leaves)
/// must continue past every value already handed out, however the logged blocks and their background writes
/// stood at that moment.
/// </summary>
public sealed class SequenceDurabilityTests
{
    private static async Task<SequenceDefinition> CreateAsync(EngineFixture engine, long increment = 1)
    {
        await using var tx = engine.Database.BeginTransaction();
        var sequence = tx.CreateSequence(new SequenceDefinition(0, CatalogSnapshot.PublicSchema, "s", "bigint", 1, increment, 1, long.MaxValue, Cycle: false));
        await tx.CommitAsync();
        return sequence;
    }

    private static async Task<long> NextInCopyAsync(EngineFixture engine, SequenceDefinition sequence)
    {
        await using var copy = await engine.CrashCopyAsync();
        await using var tx = copy.Database.BeginTransaction();
        return tx.NextSequenceValue(tx.Catalog.FindSequence(sequence.Id)!);
    }

    [Fact]
    public async Task A_crash_copy_at_any_point_continues_past_every_value_handed_out()
    {
        await using var engine = await EngineFixture.OpenAsync();
        var sequence = await CreateAsync(engine, increment: 3);
        await using var tx = engine.Database.BeginTransaction();
        var last = 0L;
        for (var i = 1; i <= 140; i++)
        {
            last = tx.NextSequenceValue(sequence);
            Assert.Equal(1 + ((i - 1) * 3L), last);

            // Crash points on both sides of block boundaries and of the background writes started mid-block.
            if (i % 13 == 0 || i is 1 or 16 or 17 or 32 or 33 or 64 or 65)
            {
                Assert.True(await NextInCopyAsync(engine, sequence) > last, $"after {i} values");
            }
        }
    }

    [Fact]
    public async Task A_crash_copy_taken_while_sessions_race_continues_past_all_their_values()
    {
        await using var engine = await EngineFixture.OpenAsync();
        var sequence = await CreateAsync(engine);
        for (var round = 0; round < 3; round++)
        {
            var takers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await using var tx = engine.Database.BeginTransaction();
                var values = new List<long>();
                for (var i = 0; i < 3_000; i++)
                {
                    values.Add(tx.NextSequenceValue(sequence));
                }

                return values;
            })).ToArray();
            var taken = (await Task.WhenAll(takers)).SelectMany(v => v).ToList();
            Assert.Equal(taken.Count, taken.Distinct().Count());
            Assert.True(await NextInCopyAsync(engine, sequence) > taken.Max(), $"round {round}");
        }
    }
}
