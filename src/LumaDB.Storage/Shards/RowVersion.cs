namespace LumaDB.Storage.Shards;

/// <summary>One version of a key found by a read, from a memtable or a segment, before versions are resolved.</summary>
/// <param name="Key">The shard key.</param>
/// <param name="Seq">Commit seq of the version.</param>
/// <param name="Row">The row in <see cref="RowCodec"/> form; null for a tombstone.</param>
internal readonly record struct RowVersion(byte[] Key, ulong Seq, byte[]? Row)
{
    /// <summary>Orders by key ascending, then newest first, so the first of each key is the one a snapshot sees.</summary>
    public static int Compare(RowVersion a, RowVersion b)
    {
        var byKey = a.Key.AsSpan().SequenceCompareTo(b.Key);
        return byKey != 0 ? byKey : b.Seq.CompareTo(a.Seq);
    }
}
