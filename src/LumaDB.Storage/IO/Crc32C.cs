using System.Buffers.Binary;
using System.Numerics;

namespace LumaDB.Storage.IO;

/// <summary>
/// CRC32C (Castagnoli), the checksum of manifest records and segment files. System.IO.Hashing has no CRC32C,
/// and <see cref="BitOperations.Crc32C(uint, ulong)"/> already uses the SSE4.2/ARMv8 instruction when present.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>Initial state for incremental use with <see cref="Append"/> and <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Folds <paramref name="data"/> into a running state.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return state;
    }

    /// <summary>Turns a running state into the checksum.</summary>
    public static uint Finish(uint state) => ~state;

    /// <summary>The CRC32C of a stream's remaining bytes.</summary>
    public static async Task<uint> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var state = Start;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                state = Append(state, buffer.AsSpan(0, read));
            }

            return Finish(state);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The CRC32C of a file.</summary>
    public static async Task<uint> ComputeFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        return await ComputeAsync(stream, cancellationToken);
    }
}
