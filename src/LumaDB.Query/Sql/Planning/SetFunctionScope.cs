using LumaDB.Query.Sql.Execution.Operators;

namespace LumaDB.Query.Sql.Planning;

/// <summary>Set-returning function calls found while binding a SELECT's targets and ORDER BY.</summary>
internal sealed class SetFunctionScope
{
    /// <summary>
    /// Placeholder ordinals for the calls' rows start here until the ProjectSet nodes' positions are known; below
    /// <see cref="WindowScope.Base"/>, so a call may read a window result but not the other way round.
    /// </summary>
    public const int Base = 1 << 23;

    public List<SetFunctionCall> Calls { get; } = [];

    /// <summary>Whether <paramref name="ordinal"/> is one of this scope's placeholders.</summary>
    public static bool IsPlaceholder(int ordinal) => ordinal is >= Base and < WindowScope.Base;
}
