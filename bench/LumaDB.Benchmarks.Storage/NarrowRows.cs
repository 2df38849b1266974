using System.Buffers.Binary;

namespace LumaDB.Benchmarks.Storage;

/// <summary>The benchmark's narrow row: an 8-byte key and two 8-byte columns (a long and a double).</summary>
internal static class NarrowRows
{
    public const int KeySize = 8;
    public const int RowSize = 16;
    public const int EncodedSize = KeySize + RowSize;

    /// <summary>An order-preserving key for <paramref name="id"/> (sign bit flipped, big-endian).</summary>
    public static void WriteKey(Span<byte> destination, long id) =>
        BinaryPrimitives.WriteInt64BigEndian(destination, id ^ long.MinValue);

    public static void WriteRow(Span<byte> destination, long id)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, id * 3);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[8..], id * 0.5);
    }

    /// <summary>Fills a WAL payload with <paramref name="count"/> rows starting at <paramref name="firstId"/>.</summary>
    public static void WriteBatch(Span<byte> payload, long firstId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var slot = payload.Slice(i * EncodedSize, EncodedSize);
            WriteKey(slot, firstId + i);
            WriteRow(slot[KeySize..], firstId + i);
        }
    }
}
