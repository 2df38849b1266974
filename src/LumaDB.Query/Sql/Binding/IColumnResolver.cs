namespace LumaDB.Query.Sql.Binding;

/// <summary>Resolves column names to input ordinals and types; the planner supplies one per scope.</summary>
public interface IColumnResolver
{
    /// <summary>Finds a column by its (possibly qualified, case-folded) name parts; false when there is none.</summary>
    bool TryResolve(IReadOnlyList<string> parts, out int ordinal, out Types.SqlType type);
}
