using System.Text;
using LumaDB.Query.Sql.Json;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// json_agg/jsonb_agg (every input, NULL as JSON null) and json_object_agg/jsonb_object_agg (key/value pairs);
/// NULL when there was no input row. json keeps PostgreSQL's spacing, jsonb is normalised once at the end.
/// </summary>
internal sealed class JsonAggregateAccumulator(AggregateSpec spec) : Accumulator
{
    private readonly bool _object = spec.Name.EndsWith("object_agg", StringComparison.Ordinal);
    private readonly SqlType _valueType = spec.Arguments[^1].Type;
    private readonly SqlType _keyType = spec.Arguments[0].Type;
    private StringBuilder? _text;

    public override void Add(object?[] arguments)
    {
        var first = _text is null;
        _text ??= new StringBuilder(_object ? "{ " : "[");
        if (!first)
        {
            _text.Append(", ");
        }

        if (!_object)
        {
            JsonValues.WriteSqlValue(_text, arguments[0], _valueType);
            return;
        }

        var key = arguments[0] ?? throw new SqlException(SqlState.InvalidParameterValue, "field name must not be null");
        JsonValues.WriteString(_text, _keyType.Kind == SqlTypeKind.Boolean ? ((bool)key ? "true" : "false") : SqlText.Format(key, _keyType));
        _text.Append(" : ");
        JsonValues.WriteSqlValue(_text, arguments.Length > 1 ? arguments[1] : null, _valueType);
    }

    public override object? Result()
    {
        if (_text is null)
        {
            return null;
        }

        var text = _text.ToString() + (_object ? " }" : "]");
        return JsonValues.Finish(text, spec.Type);
    }
}
