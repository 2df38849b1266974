namespace LumaDB.Query.Sql.Sessions;

/// <summary>What a statement produced: output columns, rows (null when it returns none) and its command tag.</summary>
internal sealed record StatementOutcome(IReadOnlyList<ResultColumn> Columns, IReadOnlyList<ResultBatch>? Batches, string CommandTag);
