using System.Text;
using System.Text.Json;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Json;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>json/jsonb operator and function kernels.</summary>
public sealed partial class ExpressionEvaluator
{
    private static ColumnVector? JsonFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        switch (call.Function)
        {
            case ScalarFunction.JsonGet or ScalarFunction.JsonGetText:
                return JsonGet(args, type, call.Function == ScalarFunction.JsonGetText);
            case ScalarFunction.JsonGetPath or ScalarFunction.JsonGetPathText:
                return JsonGetPath(args, type, call.Function == ScalarFunction.JsonGetPathText);
            case ScalarFunction.JsonbContains:
                return Strict(args, SqlType.Boolean, (i, docs) => JsonbOrder.Contains(docs.Root(0, i), docs.Root(1, i)), 2);
            case ScalarFunction.JsonbHasKey:
                return Strict(args, SqlType.Boolean, (i, docs) => JsonbOrder.HasKey(docs.Root(0, i), args[1].As<string>()[i]), 1);
            case ScalarFunction.JsonbHasAnyKey or ScalarFunction.JsonbHasAllKeys:
                var all = call.Function == ScalarFunction.JsonbHasAllKeys;
                return Strict(args, SqlType.Boolean, (i, docs) =>
                {
                    var root = docs.Root(0, i);
                    var keys = args[1].As<object?[]>()[i].OfType<string>();
                    return all ? keys.All(k => JsonbOrder.HasKey(root, k)) : keys.Any(k => JsonbOrder.HasKey(root, k));
                });
            case ScalarFunction.JsonbConcat:
                return Strict(args, type, (i, _) => JsonbEdit.Concat(args[0].As<string>()[i], args[1].As<string>()[i]), 0);
            case ScalarFunction.JsonbDeleteKey:
                return Strict(args, type, (i, _) => JsonbEdit.DeleteKeys(args[0].As<string>()[i], [args[1].As<string>()[i]]), 0);
            case ScalarFunction.JsonbDeleteKeys:
                return Strict(args, type, (i, _) => JsonbEdit.DeleteKeys(args[0].As<string>()[i], args[1].As<object?[]>()[i].OfType<string>().ToHashSet(StringComparer.Ordinal)), 0);
            case ScalarFunction.JsonbDeleteIndex:
                return Strict(args, type, (i, _) => JsonbEdit.DeleteIndex(args[0].As<string>()[i], args[1].As<int>()[i]), 0);
            case ScalarFunction.JsonbDeletePath:
                return Strict(args, type, (i, _) => JsonbEdit.Edit(args[0].As<string>()[i], args[1].As<object?[]>()[i], JsonbEdit.PathEdit.Delete, null, false), 0);
            case ScalarFunction.JsonbSet or ScalarFunction.JsonbInsert:
                var edit = call.Function == ScalarFunction.JsonbSet ? JsonbEdit.PathEdit.Set : JsonbEdit.PathEdit.Insert;
                return Strict(args, type, (i, _) => JsonbEdit.Edit(args[0].As<string>()[i], args[1].As<object?[]>()[i], edit, args[2].As<string>()[i], args[3].As<bool>()[i]), 0);
            case ScalarFunction.JsonStripNulls:
                return Strict(args, type, (i, _) => JsonbEdit.StripNulls(args[0].As<string>()[i], type), 0);
            case ScalarFunction.JsonbPretty:
                return Strict(args, type, (i, _) => JsonbEdit.Pretty(args[0].As<string>()[i]), 0);
            case ScalarFunction.JsonTypeof:
                return Strict(args, type, (i, docs) => JsonValues.TypeName(docs.Root(0, i).ValueKind), 1);
            case ScalarFunction.JsonArrayLength:
                return Strict(args, type, (i, docs) => ArrayLength(docs.Root(0, i)), 1);
            case ScalarFunction.ToJson:
                return Strict(args, type, (i, _) => JsonValues.Finish(JsonValues.FromSqlValue(args[0].GetValue(i), args[0].Type), type), 0);
            case ScalarFunction.JsonBuildObject:
                return BuildJson(args, rowCount, type, isObject: true);
            case ScalarFunction.JsonBuildArray:
                return BuildJson(args, rowCount, type, isObject: false);
            default:
                return null;
        }
    }

    private static int ArrayLength(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.GetArrayLength(),
        JsonValueKind.Object => throw new SqlException(SqlState.InvalidParameterValue, "cannot get array length of a non-array"),
        _ => throw new SqlException(SqlState.InvalidParameterValue, "cannot get array length of a scalar"),
    };

    /// <summary><c>-&gt;</c> and <c>-&gt;&gt;</c> by key or index.</summary>
    private static ColumnVector JsonGet(ColumnVector[] args, SqlType type, bool asText)
    {
        var byIndex = args[1].Values is int[];
        return Strict(
            args,
            type,
            (i, docs) =>
            {
                var root = docs.Root(0, i);
                var found = byIndex
                    ? JsonValues.TryGetElement(root, args[1].As<int>()[i], out var value)
                    : JsonValues.TryGetMember(root, args[1].As<string>()[i], out value);
                return !found ? null : asText ? JsonValues.AsText(value) : value.GetRawText();
            },
            1);
    }

    /// <summary><c>#&gt;</c>, <c>#&gt;&gt;</c> and the json(b)_extract_path functions (a text[] or one text argument per step).</summary>
    private static ColumnVector JsonGetPath(ColumnVector[] args, SqlType type, bool asText)
    {
        var arrayPath = args.Length == 2 && args[1].Type.IsArray;
        var n = args[0].Length;
        var result = ColumnVector.Allocate(type, n);
        using var docs = new DocumentCache(args, 1);
        var steps = new object?[arrayPath ? 0 : args.Length - 1];
        for (var i = 0; i < n; i++)
        {
            object?[] path;
            if (arrayPath)
            {
                if (args[0].IsNull(i) || args[1].IsNull(i))
                {
                    result.SetNull(i);
                    continue;
                }

                path = args[1].As<object?[]>()[i];
            }
            else
            {
                if (args[0].IsNull(i))
                {
                    result.SetNull(i);
                    continue;
                }

                for (var s = 0; s < steps.Length; s++)
                {
                    steps[s] = args[s + 1].GetValue(i);
                }

                path = steps;
            }

            var text = JsonValues.TryGetPath(docs.Root(0, i), path, out var value)
                ? asText ? JsonValues.AsText(value) : value.GetRawText()
                : null;
            if (text is null)
            {
                result.SetNull(i);
            }
            else
            {
                result.As<string>()[i] = text;
            }
        }

        return result;
    }

    /// <summary>json(b)_build_object and json(b)_build_array: NULL arguments become JSON null.</summary>
    private static ColumnVector BuildJson(ColumnVector[] args, int rowCount, SqlType type, bool isObject)
    {
        var result = ColumnVector.Allocate(type, rowCount);
        var sb = new StringBuilder();
        var json = type.Kind == SqlTypeKind.Json;
        for (var i = 0; i < rowCount; i++)
        {
            sb.Clear();
            sb.Append(isObject ? '{' : '[');
            for (var a = 0; a < args.Length; a++)
            {
                if (isObject && a % 2 == 0)
                {
                    if (a > 0)
                    {
                        sb.Append(", ");
                    }

                    var key = args[a].GetValue(i) ?? throw new SqlException(SqlState.InvalidParameterValue, $"argument {a + 1} cannot be null", "Object keys should be text.");
                    JsonValues.WriteString(sb, KeyText(key, args[a].Type));
                    sb.Append(json ? " : " : ": ");
                    continue;
                }

                if (!isObject && a > 0)
                {
                    sb.Append(", ");
                }

                JsonValues.WriteSqlValue(sb, args[a].GetValue(i), args[a].Type);
            }

            sb.Append(isObject ? '}' : ']');
            result.As<string>()[i] = JsonValues.Finish(sb.ToString(), type);
        }

        return result;
    }

    private static string KeyText(object key, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Boolean => (bool)key ? "true" : "false",
        _ => SqlText.Format(key, type),
    };

    /// <summary>
    /// Runs <paramref name="kernel"/> on each row whose arguments are all non-null; a null return is SQL NULL.
    /// The first <paramref name="parsed"/> arguments are json text the kernel reads through the cache.
    /// </summary>
    private static ColumnVector Strict(ColumnVector[] args, SqlType type, Func<int, DocumentCache, object?> kernel, int parsed = 1)
    {
        var n = args[0].Length;
        var result = ColumnVector.Allocate(type, n);
        using var docs = new DocumentCache(args, parsed);
        for (var i = 0; i < n; i++)
        {
            var anyNull = false;
            foreach (var a in args)
            {
                anyNull |= a.IsNull(i);
            }

            var value = anyNull ? null : kernel(i, docs);
            if (value is null)
            {
                result.SetNull(i);
            }
            else
            {
                result.Values.SetValue(value, i);
            }
        }

        return result;
    }

    /// <summary>
    /// Parsed documents of the json arguments of the current row. A constant argument repeats one string
    /// instance, so it is parsed once per batch rather than once per row.
    /// </summary>
    private sealed class DocumentCache(ColumnVector[] args, int count) : IDisposable
    {
        private readonly string?[] _texts = new string?[count];
        private readonly JsonDocument?[] _documents = new JsonDocument?[count];

        public JsonElement Root(int argument, int row)
        {
            var text = args[argument].As<string>()[row];
            if (!ReferenceEquals(text, _texts[argument]))
            {
                _documents[argument]?.Dispose();
                _documents[argument] = JsonValues.Parse(text);
                _texts[argument] = text;
            }

            return _documents[argument]!.RootElement;
        }

        public void Dispose()
        {
            foreach (var document in _documents)
            {
                document?.Dispose();
            }
        }
    }
}
