using System.Text;
using LumaDB.Storage.Segments.ParquetFormat;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>
/// Segment pages compress through the system's libzstd when it loads and through the managed port otherwise; the
/// two must read each other's frames, and a bad frame must fail as invalid data.
/// </summary>
public sealed class ZstdTests
{
    private static byte[] Page()
    {
        var random = new Random(5);
        var text = new StringBuilder();
        for (var i = 0; i < 3_000; i++)
        {
            text.Append("{\"http.route\":\"/api/v1/items/").Append(random.Next(500)).Append("\",\"user\":\"u").Append(random.Next(100_000)).Append("\"}");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public void Libzstd_loads_on_a_debian_system() => Assert.True(Zstd.IsNative, "libzstd.so.1 did not load; pages fall back to the managed port");

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Frames_of_one_implementation_decompress_with_the_other(bool compressNative, bool decompressNative)
    {
        var page = Page();
        var frame = new byte[Zstd.CompressBound(page.Length)];
        using var compressor = new ZstdCompressor(1, compressNative);
        var length = compressor.Compress(page, frame);
        Assert.InRange(length, 1, page.Length / 3);

        var back = new byte[page.Length];
        using var decompressor = new ZstdDecompressor(decompressNative);
        Assert.Equal(page.Length, decompressor.Decompress(frame.AsSpan(0, length), back));
        Assert.Equal(page, back);
    }

    [Fact]
    public void A_corrupt_or_oversized_frame_is_invalid_data()
    {
        var page = Page();
        var frame = new byte[Zstd.CompressBound(page.Length)];
        using var compressor = new ZstdCompressor(1);
        var length = compressor.Compress(page, frame);
        using var decompressor = new ZstdDecompressor();

        var corrupt = frame.AsSpan(0, length).ToArray();
        corrupt[0] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => decompressor.Decompress(corrupt, new byte[page.Length]));
        Assert.Throws<InvalidDataException>(() => decompressor.Decompress(frame.AsSpan(0, length), new byte[page.Length / 2]));

        // The context stays usable after an error.
        Assert.Equal(page.Length, decompressor.Decompress(frame.AsSpan(0, length), new byte[page.Length]));
    }
}
