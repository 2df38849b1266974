using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Manifest;

/// <summary>Binary forms of descriptors, entries and edits, shared by the edit log and snapshots.</summary>
internal static class ManifestCodec
{
    public static void WriteEdit(BinaryWriter writer, ManifestEdit edit)
    {
        writer.Write((byte)edit.Kind);
        switch (edit)
        {
            case SegmentAdded added:
                WriteDescriptor(writer, added.Descriptor);
                break;
            case SegmentRemoved removed:
                writer.Write(removed.SegmentId.ToByteArray());
                break;
            case SegmentMovedToCold moved:
                writer.Write(moved.SegmentId.ToByteArray());
                writer.Write(moved.ObjectKey);
                break;
            case FlushedUpTo flushed:
                writer.Write(flushed.Lsn);
                break;
            default:
                throw new ArgumentException($"Unknown edit {edit.GetType().Name}.", nameof(edit));
        }
    }

    public static ManifestEdit ReadEdit(BinaryReader reader) => (ManifestEditKind)reader.ReadByte() switch
    {
        ManifestEditKind.SegmentAdded => new SegmentAdded(ReadDescriptor(reader)),
        ManifestEditKind.SegmentRemoved => new SegmentRemoved(ReadGuid(reader)),
        ManifestEditKind.SegmentMovedToCold => new SegmentMovedToCold(ReadGuid(reader), reader.ReadString()),
        ManifestEditKind.FlushedUpTo => new FlushedUpTo(reader.ReadInt64()),
        var kind => throw new InvalidDataException($"Unknown manifest edit type {(byte)kind}."),
    };

    public static void WriteEntry(BinaryWriter writer, SegmentEntry entry)
    {
        WriteDescriptor(writer, entry.Descriptor);
        writer.Write((byte)entry.Location);
        writer.Write(entry.ObjectKey ?? string.Empty);
    }

    public static SegmentEntry ReadEntry(BinaryReader reader)
    {
        var descriptor = ReadDescriptor(reader);
        var location = (SegmentLocation)reader.ReadByte();
        var key = reader.ReadString();
        return new SegmentEntry(descriptor, location, key.Length == 0 ? null : key);
    }

    public static void WriteDescriptor(BinaryWriter writer, SegmentDescriptor descriptor)
    {
        writer.Write(descriptor.Id.ToByteArray());
        writer.Write(descriptor.FileName);
        writer.Write(descriptor.RowCount);
        writer.Write(descriptor.ByteSize);
        writer.Write(descriptor.Crc32C);
        WriteBytes(writer, descriptor.MinKey);
        WriteBytes(writer, descriptor.MaxKey);
        WriteTime(writer, descriptor.MinTimeMicros);
        WriteTime(writer, descriptor.MaxTimeMicros);
        writer.Write(descriptor.RowGroups.Count);
        foreach (var group in descriptor.RowGroups)
        {
            writer.Write(group.RowCount);
            WriteBytes(writer, group.MinKey);
            WriteBytes(writer, group.MaxKey);
            WriteTime(writer, group.MinTimeMicros);
            WriteTime(writer, group.MaxTimeMicros);
        }
    }

    public static SegmentDescriptor ReadDescriptor(BinaryReader reader)
    {
        var id = ReadGuid(reader);
        var fileName = reader.ReadString();
        var rows = reader.ReadInt64();
        var size = reader.ReadInt64();
        var crc = reader.ReadUInt32();
        var minKey = ReadBytes(reader);
        var maxKey = ReadBytes(reader);
        var minTime = ReadTime(reader);
        var maxTime = ReadTime(reader);
        var groups = new RowGroupRange[reader.ReadInt32()];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = new RowGroupRange(reader.ReadInt64(), ReadBytes(reader), ReadBytes(reader), ReadTime(reader), ReadTime(reader));
        }

        return new SegmentDescriptor(id, fileName, rows, size, crc, minKey, maxKey, minTime, maxTime, groups);
    }

    private static Guid ReadGuid(BinaryReader reader) => new(reader.ReadBytes(16));

    private static void WriteBytes(BinaryWriter writer, byte[] value)
    {
        writer.Write(value.Length);
        writer.Write(value);
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length >= 0 ? reader.ReadBytes(length) : throw new InvalidDataException("Negative length in manifest.");
    }

    private static void WriteTime(BinaryWriter writer, long? micros)
    {
        writer.Write(micros.HasValue);
        writer.Write(micros ?? 0);
    }

    private static long? ReadTime(BinaryReader reader)
    {
        var has = reader.ReadBoolean();
        var value = reader.ReadInt64();
        return has ? value : null;
    }
}
