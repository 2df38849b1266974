using LumaDB.Query.Sql.Execution;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>A slice of a statement's output rows: one evaluator column per output column, all of <see cref="RowCount"/> rows.</summary>
/// <param name="Columns">The columns, in output order; values in the shapes <see cref="Types.SqlText"/> formats.</param>
/// <param name="RowCount">Number of rows.</param>
public readonly record struct ResultBatch(IReadOnlyList<ColumnVector> Columns, int RowCount);
