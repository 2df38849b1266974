namespace LumaDB.Storage.Segments;

/// <summary>
/// Min/max and null count of one column in one row group, kept by LumaDB itself in the segment footer so that
/// pruning does not depend on which statistics a Parquet writer chose to emit. NaN never enters a range; whether a
/// float row group holds one is kept apart (footers before version 2 did not say, so theirs are taken to).
/// </summary>
internal sealed class ColumnStatistics
{
    /// <summary>Longest string/binary bound kept; longer values are cut (min) or cut and rounded up (max).</summary>
    public const int MaxBytesLength = 64;

    public long NullCount { get; set; }

    /// <summary>False when every value is null (or NaN): no predicate can match.</summary>
    public bool HasRange { get; set; }

    public long MinInteger { get; set; }

    public long MaxInteger { get; set; }

    public double MinReal { get; set; }

    /// <summary>Whether a float column may hold NaN, which ranks above every number and is outside the range.</summary>
    public bool MayHoldNaN { get; set; }

    public double MaxReal { get; set; }

    public byte[]? MinBytes { get; set; }

    /// <summary>Upper bound of byte values; null means unbounded (a cut value that could not be rounded up).</summary>
    public byte[]? MaxBytes { get; set; }

    /// <summary>Whether some row of the row group may satisfy <paramref name="predicate"/>.</summary>
    public bool MayMatch(SegmentColumn column, ColumnPredicate predicate)
    {
        if (column.IsReal && predicate.Kind != PredicateConstantKind.Bytes && MayHoldNaN
            && (predicate.Op is CompareOp.Greater or CompareOp.GreaterOrEqual || double.IsNaN(predicate.Real)))
        {
            // NaN ranks above every number and is not in the range: any row group may hold one.
            return true;
        }

        if (!HasRange)
        {
            return false;
        }

        int minComparison;
        int maxComparison;
        if (column.IsBytes)
        {
            minComparison = MinBytes.AsSpan().SequenceCompareTo(predicate.Bytes);
            maxComparison = MaxBytes is null ? 1 : MaxBytes.AsSpan().SequenceCompareTo(predicate.Bytes);
        }
        else if (column.Kind == SegmentColumnKind.UInt64 && predicate.Kind == PredicateConstantKind.Integer)
        {
            minComparison = SegmentColumn.CompareUnsigned((ulong)(MinInteger ^ long.MinValue), predicate.Integer);
            maxComparison = SegmentColumn.CompareUnsigned((ulong)(MaxInteger ^ long.MinValue), predicate.Integer);
        }
        else if (column.IsInteger && predicate.Kind == PredicateConstantKind.Integer)
        {
            minComparison = MinInteger.CompareTo(predicate.Integer);
            maxComparison = MaxInteger.CompareTo(predicate.Integer);
        }
        else
        {
            if (double.IsNaN(predicate.Real))
            {
                // An integer column has no NaN, and every number ranks below NaN.
                return predicate.Op is CompareOp.Less or CompareOp.LessOrEqual;
            }

            var min = column.Kind == SegmentColumnKind.UInt64 ? (ulong)(MinInteger ^ long.MinValue) : column.IsInteger ? MinInteger : MinReal;
            var max = column.Kind == SegmentColumnKind.UInt64 ? (ulong)(MaxInteger ^ long.MinValue) : column.IsInteger ? MaxInteger : MaxReal;
            minComparison = min.CompareTo(predicate.Real);
            maxComparison = max.CompareTo(predicate.Real);
        }

        return predicate.RangeMayMatch(minComparison, maxComparison);
    }

    public void Write(BinaryWriter writer, SegmentColumn column)
    {
        writer.Write(NullCount);
        writer.Write(HasRange);
        if (column.IsReal)
        {
            writer.Write(MayHoldNaN);
        }

        if (!HasRange)
        {
            return;
        }

        if (column.IsBytes)
        {
            WriteBytes(writer, MinBytes);
            WriteBytes(writer, MaxBytes);
        }
        else if (column.IsInteger)
        {
            writer.Write(MinInteger);
            writer.Write(MaxInteger);
        }
        else
        {
            writer.Write(MinReal);
            writer.Write(MaxReal);
        }
    }

    public static ColumnStatistics Read(BinaryReader reader, SegmentColumn column, int footerVersion)
    {
        var stats = new ColumnStatistics { NullCount = reader.ReadInt64(), HasRange = reader.ReadBoolean() };
        if (column.IsReal)
        {
            stats.MayHoldNaN = footerVersion < 2 || reader.ReadBoolean();
        }

        if (!stats.HasRange)
        {
            return stats;
        }

        if (column.IsBytes)
        {
            stats.MinBytes = ReadBytes(reader);
            stats.MaxBytes = ReadBytes(reader);
        }
        else if (column.IsInteger)
        {
            stats.MinInteger = reader.ReadInt64();
            stats.MaxInteger = reader.ReadInt64();
        }
        else
        {
            stats.MinReal = reader.ReadDouble();
            stats.MaxReal = reader.ReadDouble();
        }

        return stats;
    }

    /// <summary>A lower bound no longer than <see cref="MaxBytesLength"/>: a prefix sorts before the value.</summary>
    public static byte[] LowerBound(ReadOnlySpan<byte> value) =>
        value[..Math.Min(value.Length, MaxBytesLength)].ToArray();

    /// <summary>
    /// An upper bound no longer than <see cref="MaxBytesLength"/>: the prefix with its last byte that is not 0xFF
    /// incremented; null (unbounded) when every byte of the prefix is 0xFF.
    /// </summary>
    public static byte[]? UpperBound(ReadOnlySpan<byte> value)
    {
        if (value.Length <= MaxBytesLength)
        {
            return value.ToArray();
        }

        for (var i = MaxBytesLength - 1; i >= 0; i--)
        {
            if (value[i] != 0xFF)
            {
                var bound = value[..(i + 1)].ToArray();
                bound[i]++;
                return bound;
            }
        }

        return null;
    }

    private static void WriteBytes(BinaryWriter writer, byte[]? value)
    {
        writer.Write(value is null ? -1 : value.Length);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static byte[]? ReadBytes(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length < 0 ? null : reader.ReadBytes(length);
    }
}
