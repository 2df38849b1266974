using LumaDB.Storage.TimeSeries;

namespace LumaDB.Storage.Tests.TimeSeries;

public sealed class BitStreamTests
{
    [Fact]
    public void Random_fields_of_every_width_read_back_as_written()
    {
        var random = new Random(42);
        var fields = new List<(ulong Value, int Width)>();
        using var writer = new BitWriter(4);
        for (var i = 0; i < 5000; i++)
        {
            var width = random.Next(0, 65);
            var value = width == 0 ? 0 : (ulong)random.NextInt64() >> (64 - width);
            if (width == 64)
            {
                value = ((ulong)random.NextInt64() << 1) | (uint)random.Next(2);
            }

            fields.Add((value, width));
            writer.WriteBits(value, width);
        }

        Assert.Equal(fields.Sum(f => (long)f.Width), writer.BitLength);
        var reader = new BitReader(writer.WrittenBytes);
        foreach (var (value, width) in fields)
        {
            Assert.Equal(value, reader.ReadBits(width));
        }

        Assert.False(reader.IsOverrun);
    }

    [Fact]
    public void Bits_above_the_width_are_ignored()
    {
        using var writer = new BitWriter();
        writer.WriteBits(0xFFFF, 4);
        writer.WriteBit(false);

        Assert.Equal([0b1111_0000], writer.WrittenBytes.ToArray());
    }

    [Fact]
    public void Reading_past_the_end_yields_zeros_and_flags_an_overrun()
    {
        var reader = new BitReader([0xFF]);

        Assert.Equal(0xFFUL, reader.ReadBits(8));
        Assert.False(reader.IsOverrun);
        Assert.Equal(0UL, reader.ReadBits(40));
        Assert.True(reader.IsOverrun);
    }

    [Fact]
    public void Reset_starts_over_with_clean_bits()
    {
        using var writer = new BitWriter();
        writer.WriteBits(ulong.MaxValue, 64);
        writer.Reset();
        writer.WriteBits(0, 3);
        writer.WriteBit(true);

        Assert.Equal([0b0001_0000], writer.WrittenBytes.ToArray());
    }
}
