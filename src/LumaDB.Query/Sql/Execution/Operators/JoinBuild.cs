using LumaDB.Query.Sql.Sessions;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// The build side of a join: the right input's rows and, for a hash join, its table (a typed dictionary or
/// <see cref="DenseKeyTable"/> in <see cref="Typed"/>, else the general one). Read-only once made, so the workers of a
/// parallel plan probe one build.
/// </summary>
internal sealed record JoinBuild(ResultBatch Right, object? Typed, Dictionary<object?[], List<int>>? Table);
