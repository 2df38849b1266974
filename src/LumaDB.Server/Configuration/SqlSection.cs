namespace LumaDB.Server.Configuration;

/// <summary>[sql]: how SQL statements execute.</summary>
public sealed class SqlSection
{
    /// <summary>Most threads one query's scan and aggregation may use; 0 means one per processor, 1 turns parallel execution off.</summary>
    public long ParallelWorkers { get; set; }

    /// <summary><see cref="ParallelWorkers"/> with 0 resolved to the processor count.</summary>
    public int EffectiveParallelWorkers => ParallelWorkers == 0 ? Environment.ProcessorCount : (int)ParallelWorkers;
}
