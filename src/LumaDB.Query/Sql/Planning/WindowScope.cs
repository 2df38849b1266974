using LumaDB.Query.Sql.Execution.Operators;

namespace LumaDB.Query.Sql.Planning;

/// <summary>Window function calls found while binding a SELECT's targets and ORDER BY.</summary>
internal sealed class WindowScope
{
    /// <summary>Placeholder ordinals for window results start here until the window node's position is known.</summary>
    public const int Base = 1 << 24;

    public List<WindowFunction> Functions { get; } = [];
}
