using LumaDB.Storage.Segments.ParquetFormat;
using LumaDB.Storage.Shards;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>The integer decoders read back what the encoders write, across bit widths, run shapes and block edges.</summary>
public sealed class ParquetIntegerEncodingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(1_000)]
    public void Delta_encoded_int32_values_read_back_extremes_included(int count)
    {
        var random = new Random(count);
        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (i % 4) switch
            {
                0 => random.Next(),
                1 => random.Next(-100, 100),
                2 => i % 8 == 2 ? int.MinValue : int.MaxValue,
                _ => random.Next(0, 5_000),
            };
        }

        using var buffer = new PooledBuffer<byte>();
        ParquetIntegerEncoding.WriteDelta(values, buffer);
        buffer.Write([0xAB, 0xCD]);
        var read = new int[count];
        var offset = 0;
        ParquetIntegerEncoding.ReadDelta(buffer.WrittenSpan, ref offset, read);

        Assert.Equal(values, read);
        Assert.Equal(buffer.Count - 2, offset);
        Assert.Throws<InvalidDataException>(() =>
        {
            var at = 0;
            ParquetIntegerEncoding.ReadDelta(buffer.WrittenSpan, ref at, new int[count + 1]);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(31)]
    public void Hybrid_runs_and_bit_packed_groups_read_back(int bitWidth)
    {
        var random = new Random(bitWidth);
        var max = (int)Math.Min(int.MaxValue, (1L << bitWidth) - 1);
        var values = new List<int>();
        while (values.Count < 3_000)
        {
            // Long repeats become RLE runs, the rest bit-packed groups.
            var value = random.Next(0, max) + (random.Next(2) == 0 ? 1 : 0);
            values.AddRange(Enumerable.Repeat(value, random.Next(3) == 0 ? random.Next(8, 40) : 1));
        }

        using var buffer = new PooledBuffer<byte>();
        ParquetIntegerEncoding.WriteHybrid(values.ToArray(), bitWidth, buffer);
        var read = new int[values.Count];
        ParquetIntegerEncoding.ReadHybrid(buffer.WrittenSpan, bitWidth, read);

        Assert.Equal(values, read);
        Assert.Throws<InvalidDataException>(() => ParquetIntegerEncoding.ReadHybrid(buffer.WrittenSpan[..(buffer.Count / 2)], bitWidth, new int[values.Count]));
    }
}
