using System.Text.Json;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Protocols.Prometheus.Api;

/// <summary>
/// Writes a parsed query as the JSON tree Prometheus's <c>/api/v1/parse_query</c> answers with: every node has a
/// <c>type</c> (vectorSelector, matrixSelector, subquery, call, aggregation, binaryExpr, unaryExpr, parenExpr,
/// numberLiteral, stringLiteral) and its fields; durations are in milliseconds.
/// </summary>
public static class PromAstWriter
{
    /// <summary>Writes <paramref name="expr"/> as one JSON value.</summary>
    public static void Write(Utf8JsonWriter json, Expr expr)
    {
        if (expr is StepInvariantExpr invariant)
        {
            // A step-invariant wrapper is an evaluation detail; the tree shows what it wraps.
            Write(json, invariant.Inner);
            return;
        }

        json.WriteStartObject();
        switch (expr)
        {
            case VectorSelector vs:
                json.WriteString("type"u8, "vectorSelector"u8);
                WriteSelector(json, vs);
                break;
            case MatrixSelector ms:
                json.WriteString("type"u8, "matrixSelector"u8);
                json.WriteNumber("range"u8, (long)ms.RangeDuration.TotalMilliseconds);
                WriteSelector(json, ms.Selector);
                break;
            case SubqueryExpr sq:
                json.WriteString("type"u8, "subquery"u8);
                json.WritePropertyName("expr"u8);
                Write(json, sq.Inner);
                json.WriteNumber("range"u8, (long)sq.RangeDuration.TotalMilliseconds);
                json.WriteNumber("offset"u8, (long)sq.Offset.TotalMilliseconds);
                json.WriteNumber("step"u8, (long)sq.Step.TotalMilliseconds);
                WriteAt(json, sq.Timestamp, sq.At);
                break;
            case Call c:
                json.WriteString("type"u8, "call"u8);
                json.WriteStartObject("func"u8);
                json.WriteString("name"u8, c.Function.Name);
                json.WriteStartArray("argTypes"u8);
                foreach (var t in c.Function.ArgumentTypes)
                {
                    json.WriteStringValue(t.ApiName());
                }

                json.WriteEndArray();
                json.WriteNumber("variadic"u8, c.Function.Variadic);
                json.WriteString("returnType"u8, c.Function.ReturnType.ApiName());
                json.WriteEndObject();
                json.WriteStartArray("args"u8);
                foreach (var arg in c.Arguments)
                {
                    Write(json, arg);
                }

                json.WriteEndArray();
                break;
            case AggregateExpr a:
                json.WriteString("type"u8, "aggregation"u8);
                json.WriteString("op"u8, a.Operator.Keyword());
                json.WritePropertyName("expr"u8);
                Write(json, a.Inner);
                json.WritePropertyName("param"u8);
                if (a.Parameter is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    Write(json, a.Parameter);
                }

                WriteStrings(json, "grouping"u8, a.Grouping);
                json.WriteBoolean("without"u8, a.Without);
                break;
            case BinaryExpr b:
                json.WriteString("type"u8, "binaryExpr"u8);
                json.WriteString("op"u8, b.Operator.Symbol());
                json.WritePropertyName("lhs"u8);
                Write(json, b.Left);
                json.WritePropertyName("rhs"u8);
                Write(json, b.Right);
                json.WritePropertyName("matching"u8);
                if (b.Matching is { } m)
                {
                    json.WriteStartObject();
                    json.WriteString("card"u8, m.Cardinality.ToString() switch
                    {
                        "ManyToOne" => "many-to-one",
                        "OneToMany" => "one-to-many",
                        "ManyToMany" => "many-to-many",
                        _ => "one-to-one",
                    });
                    WriteStrings(json, "labels"u8, m.MatchingLabels);
                    json.WriteBoolean("on"u8, m.On);
                    WriteStrings(json, "include"u8, m.Include);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNullValue();
                }

                json.WriteBoolean("bool"u8, b.ReturnBool);
                break;
            case UnaryExpr u:
                json.WriteString("type"u8, "unaryExpr"u8);
                json.WriteString("op"u8, u.Negate ? "-" : "+");
                json.WritePropertyName("expr"u8);
                Write(json, u.Operand);
                break;
            case ParenExpr p:
                json.WriteString("type"u8, "parenExpr"u8);
                json.WritePropertyName("expr"u8);
                Write(json, p.Inner);
                break;
            case NumberLiteral n:
                json.WriteString("type"u8, "numberLiteral"u8);
                json.WriteString("val"u8, PromValueFormat.Value(n.Value));
                break;
            case StringLiteral s:
                json.WriteString("type"u8, "stringLiteral"u8);
                json.WriteString("val"u8, s.Value);
                break;
            default:
                json.WriteString("type"u8, "durationExpr"u8);
                json.WriteString("expr"u8, expr.ToString());
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteSelector(Utf8JsonWriter json, VectorSelector vs)
    {
        json.WriteString("name"u8, vs.Name ?? "");
        json.WriteNumber("offset"u8, (long)vs.Offset.TotalMilliseconds);
        json.WriteStartArray("matchers"u8);
        foreach (var m in vs.Matchers)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, LabelMatcher.Symbol(m.Type));
            json.WriteString("name"u8, m.Name);
            json.WriteString("value"u8, m.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteAt(json, vs.Timestamp, vs.At);
    }

    private static void WriteAt(Utf8JsonWriter json, long? timestamp, AtBound at)
    {
        json.WritePropertyName("timestamp"u8);
        if (timestamp is { } t)
        {
            json.WriteNumberValue(t);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteString("startOrEnd"u8, at switch
        {
            AtBound.Start => "start",
            AtBound.End => "end",
            _ => "",
        });
    }

    private static void WriteStrings(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }
}
