namespace LumaDB.Query.Sql.Syntax;

/// <summary><c>VACUUM [(options)] [FULL] [FREEZE] [VERBOSE] [ANALYZE] [tables]</c> or <c>ANALYZE [(options)] [VERBOSE] [tables]</c>.</summary>
/// <param name="Vacuum">True for VACUUM, false for ANALYZE.</param>
/// <param name="Options">Options, the bare words translated to their names (<c>full</c>, <c>analyze</c>...).</param>
/// <param name="Tables">The tables; empty for every table.</param>
public sealed record MaintenanceStatement(bool Vacuum, SyntaxList<SqlOption> Options, SyntaxList<QualifiedName> Tables) : Statement;
