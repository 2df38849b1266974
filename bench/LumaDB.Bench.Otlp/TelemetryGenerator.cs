using System.Globalization;
using Google.Protobuf;
using LumaDB.Protocols.Otlp.Collector.Logs.V1;
using LumaDB.Protocols.Otlp.Collector.Trace.V1;
using LumaDB.Protocols.Otlp.Common.V1;
using LumaDB.Protocols.Otlp.Logs.V1;
using LumaDB.Protocols.Otlp.Trace.V1;
using Resource = LumaDB.Protocols.Otlp.Resource.V1.Resource;

namespace LumaDB.Bench.Otlp;

/// <summary>
/// Spans and log records shaped like a small shop's microservices: HTTP server spans at the edge, client and
/// server spans between services, database and cache calls under them, exceptions and retries as events now and
/// then; logs from templates with variable parts, severities mostly INFO, trace context when inside a request.
/// Requests group items by service, as a collector batching several SDKs would send them.
/// </summary>
internal sealed class TelemetryGenerator(int seed)
{
    private static readonly string[] Services = ["frontend", "checkout", "cart", "payment", "inventory", "shipping", "auth", "recommendation"];
    private static readonly (string Method, string Route)[] Routes =
    [
        ("GET", "/api/cart"), ("POST", "/api/cart/items"), ("GET", "/api/products/{id}"), ("GET", "/api/products"),
        ("POST", "/api/checkout"), ("GET", "/api/orders/{id}"), ("POST", "/api/login"), ("GET", "/api/recommendations"),
        ("DELETE", "/api/cart/items/{id}"), ("GET", "/health"),
    ];

    private static readonly string[] Tables = ["carts", "cart_items", "products", "orders", "payments", "stock", "shipments", "users"];
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "okhttp/4.12.0",
    ];

    private static readonly (int Severity, string Text, int Weight)[] Severities =
        [(5, "DEBUG", 15), (9, "INFO", 70), (13, "WARN", 10), (17, "ERROR", 5)];

    private readonly Random _random = new(seed);

    /// <summary>A trace export request with about <paramref name="spans"/> spans, starting at <paramref name="baseUnixNano"/>.</summary>
    public (ExportTraceServiceRequest Request, int Spans) Traces(int spans, long baseUnixNano)
    {
        var byService = new Dictionary<string, List<Span>>();
        var count = 0;
        while (count < spans)
        {
            var start = baseUnixNano + _random.NextInt64(1_000_000_000);
            count += Trace(byService, start);
        }

        var request = new ExportTraceServiceRequest();
        foreach (var (service, list) in byService)
        {
            var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "OpenTelemetry.Instrumentation.AspNetCore", Version = "1.10.1" } };
            scope.Spans.AddRange(list);
            var resourceSpans = new ResourceSpans { Resource = ResourceOf(service) };
            resourceSpans.ScopeSpans.Add(scope);
            request.ResourceSpans.Add(resourceSpans);
        }

        return (request, count);
    }

    /// <summary>A logs export request with <paramref name="records"/> records over one second from <paramref name="baseUnixNano"/>.</summary>
    public (ExportLogsServiceRequest Request, List<string> Lines) Logs(int records, long baseUnixNano)
    {
        var byService = new Dictionary<string, List<LogRecord>>();
        var lines = new List<string>(records);
        for (var i = 0; i < records; i++)
        {
            var service = Services[_random.Next(Services.Length)];
            var time = baseUnixNano + ((long)i * 1_000_000_000 / records) + _random.Next(1000);
            var (record, line) = LogRecordOf(service, time);
            lines.Add(line);
            if (!byService.TryGetValue(service, out var list))
            {
                byService[service] = list = [];
            }

            list.Add(record);
        }

        var request = new ExportLogsServiceRequest();
        foreach (var (service, list) in byService)
        {
            var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = $"Shop.{Capital(service)}" } };
            scope.LogRecords.AddRange(list);
            var resourceLogs = new ResourceLogs { Resource = ResourceOf(service) };
            resourceLogs.ScopeLogs.Add(scope);
            request.ResourceLogs.Add(resourceLogs);
        }

        return (request, lines);
    }

    private int Trace(Dictionary<string, List<Span>> byService, long start)
    {
        var traceId = Id(16);
        var (method, route) = Routes[_random.Next(Routes.Length)];
        var failed = _random.Next(50) == 0;
        var total = 5_000_000L + _random.NextInt64(200_000_000);
        var root = NewSpan(traceId, ByteString.Empty, $"{method} {route}", Span.Types.SpanKind.Server, start, total);
        AddHttpServer(root, method, route, failed ? 500 : _random.Next(20) == 0 ? 404 : 200);
        Add(byService, "frontend", root);
        var count = 1;

        // The edge calls one to three services; each answers with its own server span and does some database and cache work.
        var calls = 1 + _random.Next(3);
        var at = start + 200_000;
        for (var c = 0; c < calls; c++)
        {
            var service = Services[1 + _random.Next(Services.Length - 1)];
            var callLength = Math.Max(1_000_000, total / (calls + 1));
            var (callMethod, callRoute) = Routes[_random.Next(Routes.Length)];
            var client = NewSpan(traceId, root.SpanId, callMethod, Span.Types.SpanKind.Client, at, callLength);
            AddHttpClient(client, callMethod, service, callRoute, failed && c == calls - 1 ? 503 : 200);
            if (_random.Next(30) == 0)
            {
                client.Events.Add(Event(at + (callLength / 3), "retry", ("http.request.resend_count", Int(1)), ("error.type", Str("timeout"))));
            }

            Add(byService, "frontend", client);
            var server = NewSpan(traceId, client.SpanId, $"{callMethod} {callRoute}", Span.Types.SpanKind.Server, at + 150_000, callLength - 300_000);
            AddHttpServer(server, callMethod, callRoute, failed && c == calls - 1 ? 503 : 200);
            Add(byService, service, server);
            count += 2;

            var work = 1 + _random.Next(4);
            var workAt = at + 200_000;
            for (var w = 0; w < work; w++)
            {
                var length = 50_000 + _random.NextInt64(Math.Max(100_000, (callLength - 400_000) / work));
                Span child;
                if (_random.Next(3) == 0)
                {
                    child = NewSpan(traceId, server.SpanId, "GET", Span.Types.SpanKind.Client, workAt, length);
                    child.Attributes.Add(Kv("db.system.name", Str("redis")));
                    child.Attributes.Add(Kv("db.operation.name", Str("GET")));
                    child.Attributes.Add(Kv("db.query.text", Str($"GET {service}:{_random.Next(100_000)}")));
                    child.Attributes.Add(Kv("server.address", Str("redis-master")));
                    child.Attributes.Add(Kv("server.port", Int(6379)));
                }
                else
                {
                    var table = Tables[_random.Next(Tables.Length)];
                    var operation = _random.Next(4) == 0 ? "UPDATE" : "SELECT";
                    child = NewSpan(traceId, server.SpanId, $"{operation} shop.{table}", Span.Types.SpanKind.Client, workAt, length);
                    child.Attributes.Add(Kv("db.system.name", Str("postgresql")));
                    child.Attributes.Add(Kv("db.namespace", Str("shop")));
                    child.Attributes.Add(Kv("db.collection.name", Str(table)));
                    child.Attributes.Add(Kv("db.operation.name", Str(operation)));
                    child.Attributes.Add(Kv("db.query.text", Str(operation == "SELECT"
                        ? $"SELECT id, name, price, updated_at FROM {table} WHERE id = $1 AND tenant_id = $2"
                        : $"UPDATE {table} SET quantity = $1, updated_at = now() WHERE id = $2")));
                    child.Attributes.Add(Kv("server.address", Str("postgres-primary")));
                    child.Attributes.Add(Kv("server.port", Int(5432)));
                }

                if (failed && w == work - 1 && c == calls - 1)
                {
                    child.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "connection reset by peer" };
                    child.Events.Add(Event(workAt + length, "exception",
                        ("exception.type", Str("Npgsql.NpgsqlException")),
                        ("exception.message", Str("Exception while reading from stream")),
                        ("exception.stacktrace", Str("Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\n   at Npgsql.Internal.NpgsqlReadBuffer.Ensure(Int32 count)\n   at Shop.Data.Repository.LoadAsync(Guid id)"))));
                }

                Add(byService, service, child);
                workAt += length;
                count++;
            }

            at += callLength;
        }

        if (failed)
        {
            root.Status = new Status { Code = Status.Types.StatusCode.Error };
        }

        return count;
    }

    private (LogRecord Record, string Line) LogRecordOf(string service, long time)
    {
        var (severity, severityText) = PickSeverity();
        var record = new LogRecord
        {
            TimeUnixNano = (ulong)time,
            ObservedTimeUnixNano = (ulong)(time + 1_000_000 + _random.Next(5_000_000)),
            SeverityNumber = (SeverityNumber)severity,
            SeverityText = severityText,
        };
        var (method, route) = Routes[_random.Next(Routes.Length)];
        string body;
        switch (severity >= 17 ? 5 + _random.Next(2) : severity >= 13 ? 3 + _random.Next(2) : _random.Next(3))
        {
            case 0:
                var elapsed = _random.Next(1, 900);
                var status = _random.Next(20) == 0 ? 404 : 200;
                body = $"Request finished HTTP/1.1 {method} {route.Replace("{id}", _random.Next(100_000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)} - {status} {_random.Next(40, 9000)} application/json {elapsed}.{_random.Next(1000):D3}ms";
                record.Attributes.Add(Kv("ElapsedMilliseconds", Dbl(elapsed + (_random.Next(1000) / 1000.0))));
                record.Attributes.Add(Kv("StatusCode", Int(status)));
                record.Attributes.Add(Kv("RequestPath", Str(route)));
                break;
            case 1:
                var user = $"user-{_random.Next(50_000)}";
                body = $"User {user} signed in from 10.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(256)}";
                record.Attributes.Add(Kv("UserId", Str(user)));
                break;
            case 2:
                var key = $"{service}:product:{_random.Next(20_000)}";
                body = $"Cache miss for {key}, loading from database";
                record.Attributes.Add(Kv("CacheKey", Str(key)));
                break;
            case 3:
                var waited = _random.Next(100, 3000);
                body = $"Connection pool for postgres-primary exhausted, waited {waited} ms for a connection";
                record.Attributes.Add(Kv("WaitMilliseconds", Int(waited)));
                break;
            case 4:
                var attempt = _random.Next(1, 4);
                body = $"Retrying {method} http://{Services[_random.Next(Services.Length)]}{route} after timeout (attempt {attempt} of 3)";
                record.Attributes.Add(Kv("Attempt", Int(attempt)));
                break;
            case 5:
                var order = Guid.NewGuid().ToString();
                body = $"Payment for order {order} declined: card_declined (insufficient funds)";
                record.Attributes.Add(Kv("OrderId", Str(order)));
                record.Attributes.Add(Kv("exception.type", Str("Shop.Payments.PaymentDeclinedException")));
                break;
            default:
                body = $"Unhandled exception while processing {method} {route}: System.TimeoutException: The operation has timed out after 30000 ms";
                record.Attributes.Add(Kv("exception.type", Str("System.TimeoutException")));
                record.Attributes.Add(Kv("exception.stacktrace", Str("System.TimeoutException: The operation has timed out.\n   at Shop.Http.ResilientClient.SendAsync(HttpRequestMessage request)\n   at Shop.Api.Controllers.OrderController.Get(Guid id)")));
                break;
        }

        record.Body = Str(body);
        record.Attributes.Add(Kv("thread.id", Int(_random.Next(1, 64))));
        var logger = $"Shop.{Capital(service)}.{(_random.Next(2) == 0 ? "Api" : "Data")}";
        var line = $"ts={DateTime.UnixEpoch.AddTicks(time / 100):yyyy-MM-ddTHH:mm:ss.ffffffZ} level={severityText.ToLowerInvariant()} logger={logger} msg=\"{body.Replace("\n", "\\n", StringComparison.Ordinal)}\"";
        if (_random.Next(10) < 6)
        {
            record.TraceId = Id(16);
            record.SpanId = Id(8);
            line += $" trace_id={Convert.ToHexStringLower(record.TraceId.Span)} span_id={Convert.ToHexStringLower(record.SpanId.Span)}";
        }

        return (record, line);
    }

    private (int Severity, string Text) PickSeverity()
    {
        var pick = _random.Next(100);
        foreach (var (severity, text, weight) in Severities)
        {
            if (pick < weight)
            {
                return (severity, text);
            }

            pick -= weight;
        }

        return (9, "INFO");
    }

    private Span NewSpan(ByteString traceId, ByteString parent, string name, Span.Types.SpanKind kind, long start, long length) => new()
    {
        TraceId = traceId,
        SpanId = Id(8),
        ParentSpanId = parent,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = (ulong)start,
        EndTimeUnixNano = (ulong)(start + length),
        Flags = 0x101,
    };

    private void AddHttpServer(Span span, string method, string route, int status)
    {
        span.Attributes.Add(Kv("http.request.method", Str(method)));
        span.Attributes.Add(Kv("http.route", Str(route)));
        span.Attributes.Add(Kv("url.path", Str(route.Replace("{id}", _random.Next(100_000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))));
        span.Attributes.Add(Kv("url.scheme", Str("https")));
        span.Attributes.Add(Kv("http.response.status_code", Int(status)));
        span.Attributes.Add(Kv("network.protocol.version", Str("1.1")));
        span.Attributes.Add(Kv("server.address", Str("shop.example.com")));
        span.Attributes.Add(Kv("client.address", Str($"10.{_random.Next(256)}.{_random.Next(256)}.{_random.Next(256)}")));
        span.Attributes.Add(Kv("user_agent.original", Str(UserAgents[_random.Next(UserAgents.Length)])));
        if (status >= 500)
        {
            span.Attributes.Add(Kv("error.type", Str(status.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private static void AddHttpClient(Span span, string method, string service, string route, int status)
    {
        span.Attributes.Add(Kv("http.request.method", Str(method)));
        span.Attributes.Add(Kv("url.full", Str($"http://{service}:8080{route}")));
        span.Attributes.Add(Kv("server.address", Str(service)));
        span.Attributes.Add(Kv("server.port", Int(8080)));
        span.Attributes.Add(Kv("http.response.status_code", Int(status)));
    }

    private static Span.Types.Event Event(long time, string name, params (string Key, AnyValue Value)[] attributes)
    {
        var e = new Span.Types.Event { TimeUnixNano = (ulong)time, Name = name };
        foreach (var (key, value) in attributes)
        {
            e.Attributes.Add(Kv(key, value));
        }

        return e;
    }

    private static Resource ResourceOf(string service)
    {
        var resource = new Resource();
        resource.Attributes.Add(Kv("service.name", Str(service)));
        resource.Attributes.Add(Kv("service.namespace", Str("shop")));
        resource.Attributes.Add(Kv("service.version", Str("2.14.3")));
        resource.Attributes.Add(Kv("service.instance.id", Str($"{service}-7d9f8b6c5-x2k4p")));
        resource.Attributes.Add(Kv("deployment.environment.name", Str("production")));
        resource.Attributes.Add(Kv("k8s.namespace.name", Str("shop")));
        resource.Attributes.Add(Kv("k8s.pod.name", Str($"{service}-7d9f8b6c5-x2k4p")));
        resource.Attributes.Add(Kv("host.name", Str("node-3")));
        resource.Attributes.Add(Kv("telemetry.sdk.name", Str("opentelemetry")));
        resource.Attributes.Add(Kv("telemetry.sdk.language", Str("dotnet")));
        resource.Attributes.Add(Kv("telemetry.sdk.version", Str("1.10.0")));
        return resource;
    }

    private static void Add<T>(Dictionary<string, List<T>> byService, string service, T item)
    {
        if (!byService.TryGetValue(service, out var list))
        {
            byService[service] = list = [];
        }

        list.Add(item);
    }

    private ByteString Id(int bytes)
    {
        Span<byte> id = stackalloc byte[bytes];
        _random.NextBytes(id);
        return ByteString.CopyFrom(id);
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static KeyValue Kv(string key, AnyValue value) => new() { Key = key, Value = value };

    private static AnyValue Str(string value) => new() { StringValue = value };

    private static AnyValue Int(long value) => new() { IntValue = value };

    private static AnyValue Dbl(double value) => new() { DoubleValue = value };
}
