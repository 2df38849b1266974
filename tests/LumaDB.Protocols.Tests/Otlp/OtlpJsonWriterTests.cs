using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LumaDB.Protocols.Otlp;

namespace LumaDB.Protocols.Tests.Otlp;

/// <summary>
/// The jsonb writer of the wire decoders against System.Text.Json's writer with the same relaxed escaping: the
/// stored attribute text must not depend on which of the two wrote it (the JSON request path uses the other).
/// </summary>
public sealed class OtlpJsonWriterTests
{
    private static readonly JsonWriterOptions Reference = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static TheoryData<string> Strings() =>
    [
        "",
        "plain ascii 0123 <>&'+`",
        "quote \" backslash \\ slash /",
        "controls \n\r\t\b\f \u0001 \u001f \u007f",
        "non-ascii é ß 中文",
        "emoji 😀 and surrogates",
        "separators \u2028 \u2029 bom \ufeff",
        "unassigned \u0378 private \ue000",
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_and_property_names_come_out_as_the_reference_writer_writes_them(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var (ours, theirs) = Both(
            w => { w.WriteStartObject(); w.WritePropertyName(utf8); w.WriteStringValue(utf8); w.WriteEndObject(); },
            w => { w.WriteStartObject(); w.WritePropertyName(utf8); w.WriteStringValue(utf8); w.WriteEndObject(); });

        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Ill_formed_utf8_is_replaced_as_decoding_it_to_a_string_would()
    {
        byte[] bad = [(byte)'a', 0xC3, (byte)'b', 0xFF, 0xED, 0xA0, 0x80, (byte)'z'];
        var (ours, theirs) = Both(
            w => w.WriteStringValue(bad),
            w => w.WriteStringValue(Encoding.UTF8.GetString(bad)));

        Assert.Equal(theirs, ours);
        Assert.Contains("\uFFFD", ours, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_booleans_nulls_and_bytes_match_the_reference_writer()
    {
        var (ours, theirs) = Both(w => Scalars(w), w => Scalars(w));

        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Random_nested_documents_match_the_reference_writer_across_buffer_growth()
    {
        var random = new Random(20261129);
        for (var round = 0; round < 200; round++)
        {
            var seed = random.Next();
            var (ours, theirs) = Both(w => Document(new Random(seed), w, 0), w => Document(new Random(seed), w, 0));
            Assert.Equal(theirs, ours);
        }
    }

    [Fact]
    public void Containers_deeper_than_the_initial_stack_keep_their_commas()
    {
        var (ours, theirs) = Both(
            w => { for (var i = 0; i < 150; i++) { w.WriteStartArray(); w.WriteNumberValue(i); } for (var i = 0; i < 150; i++) { w.WriteEndArray(); } },
            w => { for (var i = 0; i < 150; i++) { w.WriteStartArray(); w.WriteNumberValue(i); } for (var i = 0; i < 150; i++) { w.WriteEndArray(); } });

        Assert.Equal(theirs, ours);
    }

    private static (string Ours, string Theirs) Both(Action<OtlpJsonWriter> write, Action<Utf8JsonWriter> reference)
    {
        // A small initial buffer so that writes cross the writer's growth path.
        var output = new ArrayBufferWriter<byte>(1);
        var writer = new OtlpJsonWriter();
        writer.Reset(output);
        write(writer);
        writer.Flush();

        var expected = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(expected, Reference))
        {
            reference(json);
        }

        return (Encoding.UTF8.GetString(output.WrittenSpan), Encoding.UTF8.GetString(expected.WrittenSpan));
    }

    // Numbers at the edges of their ranges and formats, booleans, null and base64, to either writer.
    private static void Scalars(object writer)
    {
        var ours = writer as OtlpJsonWriter;
        var theirs = writer as Utf8JsonWriter;
        ours?.WriteStartArray();
        theirs?.WriteStartArray();
        foreach (var d in (double[])[0, -0.0, 1, -1.5, 0.1, 1e20, 1.5e-7, double.MaxValue, double.Epsilon, 123456789.123456789])
        {
            ours?.WriteNumberValue(d);
            theirs?.WriteNumberValue(d);
        }

        foreach (var l in (long[])[0, -1, long.MinValue, long.MaxValue, 42])
        {
            ours?.WriteNumberValue(l);
            theirs?.WriteNumberValue(l);
        }

        foreach (var b in (bool[])[true, false])
        {
            ours?.WriteBooleanValue(b);
            theirs?.WriteBooleanValue(b);
        }

        ours?.WriteNullValue();
        theirs?.WriteNullValue();
        foreach (var bytes in (byte[][])[[0, 1, 2, 250, 251, 252, 253, 254, 255], []])
        {
            ours?.WriteBase64StringValue(bytes);
            theirs?.WriteBase64StringValue(bytes);
        }

        ours?.WriteEndArray();
        theirs?.WriteEndArray();
    }

    // Writes the same random document to either writer: both take the same calls from the same seed.
    private static void Document(Random random, object writer, int depth)
    {
        var ours = writer as OtlpJsonWriter;
        var theirs = writer as Utf8JsonWriter;
        var isObject = random.Next(2) == 0;
        if (isObject) { ours?.WriteStartObject(); theirs?.WriteStartObject(); }
        else { ours?.WriteStartArray(); theirs?.WriteStartArray(); }

        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            if (isObject)
            {
                var name = Encoding.UTF8.GetBytes(Text(random));
                ours?.WritePropertyName(name);
                theirs?.WritePropertyName(name);
            }

            switch (depth < 6 ? random.Next(7) : random.Next(5))
            {
                case 0:
                    var text = Encoding.UTF8.GetBytes(Text(random));
                    ours?.WriteStringValue(text);
                    theirs?.WriteStringValue(text);
                    break;
                case 1:
                    var l = random.NextInt64(long.MinValue, long.MaxValue);
                    ours?.WriteNumberValue(l);
                    theirs?.WriteNumberValue(l);
                    break;
                case 2:
                    var d = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30));
                    ours?.WriteNumberValue(d);
                    theirs?.WriteNumberValue(d);
                    break;
                case 3:
                    var b = random.Next(2) == 0;
                    ours?.WriteBooleanValue(b);
                    theirs?.WriteBooleanValue(b);
                    break;
                case 4:
                    var bytes = new byte[random.Next(0, 40)];
                    random.NextBytes(bytes);
                    ours?.WriteBase64StringValue(bytes);
                    theirs?.WriteBase64StringValue(bytes);
                    break;
                default:
                    Document(random, writer, depth + 1);
                    break;
            }
        }

        if (isObject) { ours?.WriteEndObject(); theirs?.WriteEndObject(); }
        else { ours?.WriteEndArray(); theirs?.WriteEndArray(); }
    }

    private static string Text(Random random)
    {
        const string pool = "abcXYZ019 -_.:/\"\\\n\t\u0001é中😀\u2028<>&'";
        var builder = new StringBuilder();
        var length = random.Next(0, 300);
        for (var i = 0; i < length; i++)
        {
            // Mostly plain ASCII, as real attributes are; now and then a character that needs escaping.
            builder.Append(random.Next(10) < 8 ? (char)random.Next('a', 'z' + 1) : pool[random.Next(pool.Length)]);
        }

        // The pool's emoji is two UTF-16 units: a pick of one half alone is not valid text, leave those out.
        return new string([.. builder.ToString().Where(c => !char.IsSurrogate(c))]) + (random.Next(4) == 0 ? "😀" : "");
    }
}
