namespace LumaDB.Query.Sql.Binding;

/// <summary>A resolver over a fixed list of named columns, in ordinal order.</summary>
public sealed class ColumnList : IColumnResolver
{
    private readonly IReadOnlyList<(string Name, Types.SqlType Type)> _columns;

    /// <summary>Creates a resolver over <paramref name="columns"/>.</summary>
    public ColumnList(IReadOnlyList<(string Name, Types.SqlType Type)> columns) => _columns = columns;

    /// <summary>The resolver with no columns (SELECT without FROM).</summary>
    public static ColumnList Empty { get; } = new([]);

    /// <inheritdoc/>
    public bool TryResolve(IReadOnlyList<string> parts, out int ordinal, out Types.SqlType type)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (string.Equals(_columns[i].Name, parts[^1], StringComparison.Ordinal))
            {
                ordinal = i;
                type = _columns[i].Type;
                return true;
            }
        }

        ordinal = -1;
        type = Types.SqlType.Unknown;
        return false;
    }
}
