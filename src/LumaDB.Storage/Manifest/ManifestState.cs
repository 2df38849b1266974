namespace LumaDB.Storage.Manifest;

/// <summary>The manifest's content: live segments and the flushed LSN. Edits are checked before they apply.</summary>
internal sealed class ManifestState
{
    private readonly Dictionary<Guid, SegmentEntry> _segments = [];

    public IReadOnlyDictionary<Guid, SegmentEntry> Segments => _segments;

    public long FlushedLsn { get; private set; } = -1;

    /// <summary>Throws when <paramref name="edits"/> cannot apply, in order, to this state; changes nothing.</summary>
    public void Validate(IReadOnlyList<ManifestEdit> edits)
    {
        var present = new HashSet<Guid>(_segments.Keys);
        var cold = new HashSet<Guid>(_segments.Values.Where(e => e.Location == SegmentLocation.Cold).Select(e => e.Id));
        foreach (var edit in edits)
        {
            switch (edit)
            {
                case SegmentAdded added when !present.Add(added.Descriptor.Id):
                    throw new InvalidOperationException($"Segment {added.Descriptor.Id} is already in the manifest.");
                case SegmentRemoved removed when !present.Remove(removed.SegmentId):
                    throw new InvalidOperationException($"Segment {removed.SegmentId} is not in the manifest.");
                case SegmentMovedToCold moved when !present.Contains(moved.SegmentId) || !cold.Add(moved.SegmentId):
                    throw new InvalidOperationException($"Segment {moved.SegmentId} is not a local segment of the manifest.");
                case FlushedUpTo flushed when flushed.Lsn < FlushedLsn:
                    throw new InvalidOperationException($"Flushed LSN cannot go back from {FlushedLsn} to {flushed.Lsn}.");
            }
        }
    }

    public void Apply(ManifestEdit edit)
    {
        switch (edit)
        {
            case SegmentAdded added:
                _segments[added.Descriptor.Id] = new SegmentEntry(added.Descriptor, SegmentLocation.Local, null);
                break;
            case SegmentRemoved removed:
                _segments.Remove(removed.SegmentId);
                break;
            case SegmentMovedToCold moved:
                _segments[moved.SegmentId] = _segments[moved.SegmentId] with { Location = SegmentLocation.Cold, ObjectKey = moved.ObjectKey };
                break;
            case FlushedUpTo flushed:
                FlushedLsn = flushed.Lsn;
                break;
        }
    }

    public void Restore(IEnumerable<SegmentEntry> entries, long flushedLsn)
    {
        _segments.Clear();
        foreach (var entry in entries)
        {
            _segments[entry.Id] = entry;
        }

        FlushedLsn = flushedLsn;
    }
}
