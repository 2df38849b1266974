namespace LumaDB.Storage.Segments;

/// <summary>
/// Rows in primary-key order that a <see cref="SegmentWriter"/> pulls into its row group, so that a flush or a
/// merge writes each value once, into the buffers it is encoded from, instead of building batches to be copied.
/// </summary>
internal interface ISegmentRowSource
{
    /// <summary>
    /// Appends at most <paramref name="maxRows"/> whole rows to <paramref name="rows"/> and returns how many; 0
    /// means the source is done (a smaller positive count does not).
    /// </summary>
    ValueTask<int> FillAsync(SegmentRowGroup rows, int maxRows, CancellationToken cancellationToken);
}
