using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// A statement parsed, bound and planned once: what Parse + Describe report (parameter types, output columns)
/// and what Execute runs, any number of times with different parameter values.
/// </summary>
public sealed class PreparedStatement
{
    /// <summary>Creates a prepared statement; the session fills in the plan.</summary>
    public PreparedStatement(string text, Statement syntax, IReadOnlyList<SqlType> parameterTypes, IReadOnlyList<ResultColumn> columns)
    {
        Text = text;
        Syntax = syntax;
        ParameterTypes = parameterTypes;
        Columns = columns;
    }

    /// <summary>The statement text.</summary>
    public string Text { get; }

    /// <summary>The parsed statement.</summary>
    public Statement Syntax { get; }

    /// <summary>Parameter types ($1..$n), inferred where the client sent none.</summary>
    public IReadOnlyList<SqlType> ParameterTypes { get; }

    /// <summary>Output columns; empty for statements that return no rows.</summary>
    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>The session's plan, opaque to protocols.</summary>
    public object? Plan { get; init; }

    /// <summary>Whether the plan is a single-row primary-key lookup run without the operator tree (for tests and diagnostics).</summary>
    public bool IsPointLookup => Plan is QueryStatementPlan { PointLookup: not null, Locking: null };
}
