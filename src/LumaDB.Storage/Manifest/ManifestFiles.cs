using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LumaDB.Storage.IO;

namespace LumaDB.Storage.Manifest;

/// <summary>
/// The on-disk forms of a manifest generation: a snapshot file (whole state, one trailing CRC32C, published by
/// atomic rename) and an edit log (records of length, CRC32C, payload; appended and fsynced per commit).
/// </summary>
internal static class ManifestFiles
{
    public const string SnapshotSuffix = ".snapshot";
    public const string LogSuffix = ".log";
    private const string Prefix = "MANIFEST-";
    private const uint SnapshotMagic = 0x4E534D4C; // "LMSN"
    private const int RecordHeader = 8;
    private const int MaxRecordLength = 64 << 20;

    public static string SnapshotPath(string directory, long generation) =>
        Path.Combine(directory, Prefix + generation.ToString("D10", CultureInfo.InvariantCulture) + SnapshotSuffix);

    public static string LogPath(string directory, long generation) =>
        Path.Combine(directory, Prefix + generation.ToString("D10", CultureInfo.InvariantCulture) + LogSuffix);

    /// <summary>Generations that have a snapshot file, newest first.</summary>
    public static long[] SnapshotGenerations(string directory) =>
        Directory.EnumerateFiles(directory, Prefix + "*" + SnapshotSuffix)
            .Select(p => Path.GetFileName(p)[Prefix.Length..^SnapshotSuffix.Length])
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : -1)
            .Where(g => g >= 0)
            .OrderDescending()
            .ToArray();

    /// <summary>Every manifest file of generations other than <paramref name="keep"/> (and leftover temp files).</summary>
    public static IEnumerable<string> StaleFiles(string directory, long keep)
    {
        var snapshot = Path.GetFileName(SnapshotPath(directory, keep));
        var log = Path.GetFileName(LogPath(directory, keep));
        return Directory.EnumerateFiles(directory, Prefix + "*")
            .Where(p => Path.GetFileName(p) is var name && name != snapshot && name != log)
            .ToArray();
    }

    public static void WriteSnapshot(string path, long generation, ManifestState state)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(SnapshotMagic);
            writer.Write(generation);
            writer.Write(state.FlushedLsn);
            writer.Write(state.Segments.Count);
            foreach (var entry in state.Segments.Values.OrderBy(e => e.Id))
            {
                ManifestCodec.WriteEntry(writer, entry);
            }

            writer.Write(Crc32C.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        }

        DurableFile.WriteAtomically(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Loads a snapshot into <paramref name="state"/>; false when the file is damaged.</summary>
    public static bool TryReadSnapshot(string path, long generation, ManifestState state)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 28 || Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)))
        {
            return false;
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 4), Encoding.UTF8);
        if (reader.ReadUInt32() != SnapshotMagic || reader.ReadInt64() != generation)
        {
            return false;
        }

        var flushed = reader.ReadInt64();
        var entries = new SegmentEntry[reader.ReadInt32()];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = ManifestCodec.ReadEntry(reader);
        }

        state.Restore(entries, flushed);
        return true;
    }

    /// <summary>Encodes one commit (a group of edits) as a log record.</summary>
    public static byte[] EncodeRecord(IReadOnlyList<ManifestEdit> edits)
    {
        using var buffer = new MemoryStream();
        buffer.SetLength(RecordHeader);
        buffer.Position = RecordHeader;
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(edits.Count);
            foreach (var edit in edits)
            {
                ManifestCodec.WriteEdit(writer, edit);
            }
        }

        var record = buffer.ToArray();
        var payload = record.AsSpan(RecordHeader);
        BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32C.Compute(payload));
        return record;
    }

    /// <summary>
    /// Decodes the log's whole records. Stops at the first record that is short, oversized or fails its
    /// checksum: that is a torn (or corrupt) tail, and <paramref name="validLength"/> says where to cut it.
    /// </summary>
    public static List<ManifestEdit[]> ReadLog(ReadOnlySpan<byte> log, out long validLength)
    {
        var commits = new List<ManifestEdit[]>();
        var at = 0;
        while (log.Length - at >= RecordHeader)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(log[at..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(log[(at + 4)..]);
            if (length < 4 || length > MaxRecordLength || length > log.Length - at - RecordHeader)
            {
                break;
            }

            var payload = log.Slice(at + RecordHeader, length);
            if (Crc32C.Compute(payload) != crc)
            {
                break;
            }

            commits.Add(DecodeCommit(payload.ToArray()));
            at += RecordHeader + length;
        }

        validLength = at;
        return commits;
    }

    private static ManifestEdit[] DecodeCommit(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var edits = new ManifestEdit[reader.ReadInt32()];
        for (var i = 0; i < edits.Length; i++)
        {
            edits[i] = ManifestCodec.ReadEdit(reader);
        }

        return edits;
    }
}
