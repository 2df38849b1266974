namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>One ORDER BY key over an input column.</summary>
internal readonly record struct SortKey(int Ordinal, bool Descending, bool NullsFirst);
