using System.Globalization;
using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.Tests.PromQL;

/// <summary>Prints a tree fully parenthesised so tests can assert its shape.</summary>
internal static class TreeText
{
    public static string Of(Expr e) => e switch
    {
        BinaryExpr b => $"({Of(b.Left)} {b.Operator.Symbol()} {Of(b.Right)})",
        UnaryExpr u => $"({(u.Negate ? "-" : "+")}{Of(u.Operand)})",
        ParenExpr p => $"[{Of(p.Inner)}]",
        NumberLiteral n => n.Value.ToString(CultureInfo.InvariantCulture),
        VectorSelector v => v.Name ?? "{..}",
        MatrixSelector m => Of(m.Selector) + "[range]",
        SubqueryExpr s => Of(s.Inner) + "[subquery]",
        Call c => c.Function.Name + "(" + string.Join(", ", c.Arguments.Select(Of)) + ")",
        AggregateExpr a => a.Operator.Keyword() + "(" + (a.Parameter is null ? "" : Of(a.Parameter) + ", ") + Of(a.Inner) + ")",
        _ => e.ToString(),
    };
}
