using System.IO.Hashing;

namespace LumaDB.Storage.IO;

/// <summary>
/// CRC32C (Castagnoli), the one checksum of the storage engine: WAL records, manifest records and segment
/// files. System.IO.Hashing computes it with the SSE4.2/ARMv8 instruction when present.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>An incremental CRC32C.</summary>
    public static Crc32 Create() => new(Crc32ParameterSet.Crc32C);

    /// <summary>The CRC32C of a stream's remaining bytes.</summary>
    public static async Task<uint> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        var crc = Create();
        await crc.AppendAsync(stream, cancellationToken);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>The CRC32C of a file.</summary>
    public static async Task<uint> ComputeFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await ComputeAsync(stream, cancellationToken);
    }
}
