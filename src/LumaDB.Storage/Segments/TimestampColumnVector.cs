using System.Buffers;

namespace LumaDB.Storage.Segments;

/// <summary>
/// A timestamp column held as microseconds since the epoch. Segments store it as INT64 microseconds, written as
/// is; older segments hold a Parquet TIMESTAMP column, for which Parquet.Net only accepts <see cref="DateTime"/>,
/// so their values are converted at the Parquet boundary (a tick scale, no allocation per row).
/// </summary>
internal sealed class TimestampColumnVector : NumericColumnVector<long>
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public TimestampColumnVector(SegmentColumn column)
        : base(column)
    {
    }

    protected override async ValueTask ReadDenseAsync(RowGroupColumns group, int rows, Memory<int>? levels, CancellationToken cancellationToken)
    {
        if (!Column.TimestampAsDateTime)
        {
            await base.ReadDenseAsync(group, rows, levels, cancellationToken);
            return;
        }

        var times = ArrayPool<DateTime>.Shared.Rent(rows);
        try
        {
            await group.Parquet.ReadRawAsync(Column.ParquetField, times.AsMemory(0, rows), levels, null, cancellationToken);
            var micros = ValueSlots;
            for (var i = 0; i < rows; i++)
            {
                micros[i] = (times[i].Ticks - EpochTicks) / TimeSpan.TicksPerMicrosecond;
            }
        }
        finally
        {
            ArrayPool<DateTime>.Shared.Return(times);
        }
    }
}
