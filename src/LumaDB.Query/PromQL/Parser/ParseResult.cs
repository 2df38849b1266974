using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Parser;

/// <summary>Outcome of parsing: a type-checked tree, or the errors (never both).</summary>
public sealed class ParseResult
{
    internal ParseResult(Expr? expression, IReadOnlyList<ParseError> errors)
    {
        Expression = expression;
        Errors = errors;
    }

    /// <summary>The tree when parsing and type checking succeeded.</summary>
    public Expr? Expression { get; }

    /// <summary>Errors, first one first; empty on success.</summary>
    public IReadOnlyList<ParseError> Errors { get; }

    /// <summary>Whether the query is valid.</summary>
    public bool Success => Errors.Count == 0 && Expression is not null;

    /// <summary>The first error in Prometheus's text form, or null on success.</summary>
    public string? ErrorMessage => Errors.Count > 0 ? Errors[0].ToString() : null;
}
