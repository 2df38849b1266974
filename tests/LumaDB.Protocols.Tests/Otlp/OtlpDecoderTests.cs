using System.Globalization;
using System.Text;
using Apache.Arrow;
using Google.Protobuf;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Engine.Telemetry;
using LumaDB.Protocols.Otlp;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Protocols.Otlp.Common.V1;
using LumaDB.Protocols.Otlp.Logs.V1;
using LumaDB.Protocols.Otlp.Trace.V1;
using LumaDB.Storage.Segments;
using Microsoft.Extensions.Logging.Abstractions;
using Resource = LumaDB.Protocols.Otlp.Resource.V1.Resource;

namespace LumaDB.Protocols.Tests.Otlp;

/// <summary>
/// The wire decoders store exactly the rows the message mappers store: the same requests go through both paths
/// into two databases, and every column of every stored row is compared.
/// </summary>
public sealed class OtlpDecoderTests
{
    private static readonly string[] Keys = ["http.request.method", "http.method", "http.route", "http.response.status_code", "http.status_code", "k", "ключ \"q\" <b>", "db.statement"];

    [Fact]
    public async Task Decoded_spans_are_stored_as_the_mapped_spans_are()
    {
        var random = new Random(11);
        for (var round = 0; round < 6; round++)
        {
            var request = RandomTraces(random);
            await using var mapped = await Store.OpenAsync();
            await using var decoded = await Store.OpenAsync();
            var batch = OtlpTraceMapper.Map(request);
            await mapped.Telemetry.WriteSpansAsync(batch.Items);
            var decoder = new OtlpTraceDecoder(decoded.Tables.Traces.Layout);
            decoder.Decode(request.ToByteArray());
            await decoded.Telemetry.AppendAsync(decoder.Batch);

            Assert.Equal(batch.Items.Count, decoder.Accepted);
            Assert.Equal(batch.Rejected, decoder.Rejected);
            Assert.Equal(batch.ErrorMessage, decoder.ErrorMessage);
            var expected = await mapped.RowsAsync(mapped.Tables.Traces, skipColumn: -1);
            Assert.True(expected.Count > 20, "the generator makes many spans");
            Assert.Equal(expected, await decoded.RowsAsync(decoded.Tables.Traces, skipColumn: -1));
        }
    }

    [Fact]
    public async Task Decoded_log_records_are_stored_as_the_mapped_records_are()
    {
        var random = new Random(12);
        for (var round = 0; round < 6; round++)
        {
            var request = RandomLogs(random);
            await using var mapped = await Store.OpenAsync();
            await using var decoded = await Store.OpenAsync();
            var batch = OtlpLogMapper.Map(request, 1_700_000_000_000_000_000);
            await mapped.Telemetry.WriteLogsAsync(batch.Items);
            var decoder = new OtlpLogDecoder(decoded.Tables.Logs.Layout, decoded.Telemetry.ReserveLogIds);
            decoder.Decode(request.ToByteArray(), 1_700_000_000_000_000_000);
            await decoded.Telemetry.AppendAsync(decoder.Batch);

            Assert.Equal(batch.Items.Count, decoder.Accepted);
            var expected = await mapped.RowsAsync(mapped.Tables.Logs, OtelLogsTable.LogId);
            Assert.True(expected.Count > 20, "the generator makes many records");
            Assert.Equal(expected, await decoded.RowsAsync(decoded.Tables.Logs, OtelLogsTable.LogId));
        }
    }

    [Fact]
    public void A_trace_id_of_the_wrong_length_refuses_the_request_with_the_mappers_message()
    {
        var request = RandomTraces(new Random(3));
        request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = ByteString.CopyFrom(new byte[15]);
        var decoder = new OtlpTraceDecoder(OtelTracesTable.Definition().Layout);

        var mapper = Assert.Throws<OtlpInvalidException>(() => OtlpTraceMapper.Map(request));
        var wire = Assert.Throws<OtlpInvalidException>(() => decoder.Decode(request.ToByteArray()));

        Assert.Equal(mapper.Message, wire.Message);
        Assert.Contains("16 bytes", wire.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public void Truncated_requests_are_refused(int cut)
    {
        var body = RandomTraces(new Random(4)).ToByteArray();
        var decoder = new OtlpTraceDecoder(OtelTracesTable.Definition().Layout);

        var error = Assert.Throws<OtlpInvalidException>(() => decoder.Decode(body.AsSpan(0, body.Length - cut)));

        Assert.StartsWith("invalid protobuf", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidProtocolBufferException>(() => ExportTraceServiceRequest.Parser.ParseFrom(body.AsSpan(0, body.Length - cut)));
    }

    [Fact]
    public void A_field_with_an_invalid_wire_type_is_refused()
    {
        var decoder = new OtlpLogDecoder(OtelLogsTable.Definition().Layout, n => 1);

        Assert.Throws<OtlpInvalidException>(() => decoder.Decode([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], 1));
    }

    private static ExportTraceServiceRequest RandomTraces(Random random)
    {
        var request = new ExportTraceServiceRequest();
        for (var r = 0; r < 3; r++)
        {
            var resourceSpans = new ResourceSpans();
            if (r != 2)
            {
                resourceSpans.Resource = RandomResource(random, r);
            }

            for (var s = 0; s < 2; s++)
            {
                var scope = new ScopeSpans();
                if (s == 0)
                {
                    scope.Scope = new InstrumentationScope { Name = "lib" + r, Version = random.Next(2) == 0 ? "" : "1.2" };
                }

                for (var i = 0; i < 8; i++)
                {
                    scope.Spans.Add(RandomSpan(random));
                }

                resourceSpans.ScopeSpans.Add(scope);
            }

            request.ResourceSpans.Add(resourceSpans);
        }

        return request;
    }

    private static Span RandomSpan(Random random)
    {
        var start = 1_700_000_000_000_000_000UL + (ulong)random.NextInt64(1_000_000_000_000);
        var span = new Span
        {
            TraceId = RandomId(random, 16),
            SpanId = RandomId(random, 8),
            ParentSpanId = random.Next(3) == 0 ? ByteString.Empty : RandomId(random, 8),
            TraceState = random.Next(3) == 0 ? "a=b" : "",
            Name = random.Next(5) == 0 ? "" : "GET /x/é " + random.Next(100),
            Kind = (Span.Types.SpanKind)random.Next(8),
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + (ulong)random.NextInt64(-1000, 5_000_000),
        };
        if (random.Next(4) != 0)
        {
            span.Status = new Status { Code = (Status.Types.StatusCode)random.Next(4), Message = random.Next(2) == 0 ? "" : "boom" };
        }

        AddAttributes(random, span.Attributes, 0);
        for (var e = random.Next(3); e > 0; e--)
        {
            var ev = new Span.Types.Event { TimeUnixNano = start + 5, Name = random.Next(2) == 0 ? "" : "exception" };
            AddAttributes(random, ev.Attributes, 1);
            span.Events.Add(ev);
        }

        for (var l = random.Next(3); l > 0; l--)
        {
            var link = new Span.Types.Link { TraceId = RandomId(random, 16), SpanId = RandomId(random, 8), TraceState = random.Next(2) == 0 ? "" : "x=y" };
            AddAttributes(random, link.Attributes, 1);
            span.Links.Add(link);
        }

        return span;
    }

    private static ExportLogsServiceRequest RandomLogs(Random random)
    {
        var request = new ExportLogsServiceRequest();
        for (var r = 0; r < 3; r++)
        {
            var resourceLogs = new ResourceLogs();
            if (r != 2)
            {
                resourceLogs.Resource = RandomResource(random, r);
            }

            for (var s = 0; s < 2; s++)
            {
                var scope = new ScopeLogs();
                if (s == 0)
                {
                    scope.Scope = new InstrumentationScope { Name = "lib" + r, Version = random.Next(2) == 0 ? "" : "1.2" };
                }

                for (var i = 0; i < 8; i++)
                {
                    var time = random.Next(4) == 0 ? 0UL : 1_700_000_000_000_000_000UL + (ulong)random.NextInt64(1_000_000_000_000);
                    var record = new LogRecord
                    {
                        TimeUnixNano = time,
                        ObservedTimeUnixNano = random.Next(2) == 0 ? 0UL : 1_700_000_000_100_000_000UL + (ulong)random.Next(1000),
                        SeverityNumber = (SeverityNumber)random.Next(25),
                        SeverityText = random.Next(3) == 0 ? "" : "INFO",
                        TraceId = random.Next(2) == 0 ? ByteString.Empty : RandomId(random, 16),
                        SpanId = random.Next(2) == 0 ? ByteString.Empty : RandomId(random, 8),
                    };
                    if (random.Next(6) != 0)
                    {
                        record.Body = RandomValue(random, 0);
                    }

                    AddAttributes(random, record.Attributes, 0);
                    scope.LogRecords.Add(record);
                }

                resourceLogs.ScopeLogs.Add(scope);
            }

            request.ResourceLogs.Add(resourceLogs);
        }

        return request;
    }

    private static Resource RandomResource(Random random, int index)
    {
        var resource = new Resource();
        if (index == 1)
        {
            // service.name that is not a string: unknown_service.
            resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { IntValue = 4 } });
        }
        else
        {
            resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "checkout" } });
        }

        AddAttributes(random, resource.Attributes, 1);
        return resource;
    }

    private static ByteString RandomId(Random random, int bytes)
    {
        var id = new byte[bytes];
        if (random.Next(12) != 0)
        {
            random.NextBytes(id);
        }

        return random.Next(15) == 0 ? ByteString.Empty : ByteString.CopyFrom(id);
    }

    private static void AddAttributes(Random random, Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, int depth)
    {
        for (var n = random.Next(7); n > 0; n--)
        {
            var kv = new KeyValue { Key = Keys[random.Next(Keys.Length)] };
            if (random.Next(10) != 0)
            {
                kv.Value = RandomValue(random, depth);
            }

            attributes.Add(kv);
        }
    }

    private static AnyValue RandomValue(Random random, int depth)
    {
        switch (random.Next(depth > 2 ? 8 : 10))
        {
            case 0: return new AnyValue();
            case 1 or 2: return new AnyValue { StringValue = random.Next(3) switch { 0 => "GET", 1 => "404", _ => "tab\t \"quote\" <b> é \u0001 ✓" } };
            case 3: return new AnyValue { BoolValue = random.Next(2) == 0 };
            case 4: return new AnyValue { IntValue = random.Next(3) == 0 ? random.Next(-5, 1200) : random.NextInt64(long.MinValue, long.MaxValue) };
            case 5: return new AnyValue { DoubleValue = random.Next(4) switch { 0 => double.NaN, 1 => double.NegativeInfinity, 2 => 0.1 + random.Next(), _ => 1e300 } };
            case 6: return new AnyValue { BytesValue = ByteString.CopyFrom(Encoding.UTF8.GetBytes("bytes" + random.Next())) };
            case 7: return new AnyValue { StringValueStrindex = 3 };
            case 8:
                var array = new ArrayValue();
                for (var i = random.Next(4); i > 0; i--)
                {
                    array.Values.Add(RandomValue(random, depth + 1));
                }

                return new AnyValue { ArrayValue = array };
            default:
                var list = new KeyValueList();
                AddAttributes(random, list.Values, depth + 1);
                return new AnyValue { KvlistValue = list };
        }
    }

    /// <summary>A database in a temporary directory with the telemetry tables.</summary>
    private sealed class Store : IAsyncDisposable
    {
        private readonly string _dir;

        private Store(string dir, Database database, TelemetryStore telemetry, TelemetryTables tables)
        {
            _dir = dir;
            Database = database;
            Telemetry = telemetry;
            Tables = tables;
        }

        public Database Database { get; }

        public TelemetryStore Telemetry { get; }

        public TelemetryTables Tables { get; }

        public static async Task<Store> OpenAsync()
        {
            var dir = Directory.CreateTempSubdirectory("luma-otlp-decoder-").FullName;
            var database = new Database(dir, NullLogger<Database>.Instance);
            database.AcquireDataDirectory();
            await database.RecoverAsync(CancellationToken.None);
            var telemetry = new TelemetryStore(database, new TelemetryTableOptions(), TimeProvider.System);
            return new Store(dir, database, telemetry, await telemetry.EnsureTablesAsync());
        }

        /// <summary>Every stored row, each column rendered as text, in key order; <paramref name="skipColumn"/> left out.</summary>
        public async Task<List<string>> RowsAsync(TableDefinition table, int skipColumn)
        {
            var rows = new List<string>();
            var transaction = Database.BeginTransaction();
            await using (transaction)
            {
                await foreach (var batch in transaction.ScanAsync(table, SegmentScan.All, CancellationToken.None))
                {
                    using (batch)
                    {
                        for (var i = 0; i < batch.Length; i++)
                        {
                            var row = new StringBuilder();
                            for (var c = 0; c < batch.ColumnCount; c++)
                            {
                                if (c != skipColumn)
                                {
                                    row.Append(table.Columns[c].Name).Append('=').Append(Cell(batch.Column(c), i)).Append(" | ");
                                }
                            }

                            rows.Add(row.ToString());
                        }
                    }
                }

                transaction.Rollback();
            }

            return rows;
        }

        private static string Cell(IArrowArray column, int i) => column switch
        {
            _ when column.IsNull(i) => "NULL",
            StringArray text => text.GetString(i),
            Int64Array int64 => int64.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            Int32Array int32 => int32.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            TimestampArray time => time.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException("unexpected column type " + column.GetType().Name),
        };

        public async ValueTask DisposeAsync()
        {
            Telemetry.Dispose();
            await Database.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
