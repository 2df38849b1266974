using System.Runtime.CompilerServices;
using System.Text;

namespace LumaDB.Query.PromQL.Syntax;

/// <summary>Multi-line form used by <c>/api/v1/format_query</c> and <c>promtool query pretty</c>.</summary>
public static partial class PromQLFormatter
{
    // Prometheus keeps any node whose single-line text fits in 100 characters on one line.
    private const int MaxCharactersPerLine = 100;

    /// <summary>
    /// Prints <paramref name="expr"/> the way Prometheus's prettifier does: nodes that fit in 100 characters
    /// stay on one line; longer binary expressions, calls, aggregations and parentheses are split, indented
    /// by two spaces per level.
    /// </summary>
    public static string Prettify(Expr expr)
    {
        var sb = new StringBuilder();
        WritePretty(sb, expr, 0);
        return sb.ToString();
    }

    private static void WritePretty(StringBuilder sb, Expr expr, int level)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var single = Format(expr);
        if (expr is StepInvariantExpr si)
        {
            WritePretty(sb, si.Inner, level);
            return;
        }

        if (expr is UnaryExpr u)
        {
            // The sign goes before the operand's own first line, without the operand's indent.
            var child = new StringBuilder();
            WritePretty(child, u.Operand, level);
            Indent(sb, level).Append(u.Negate ? '-' : '+').Append(child.ToString().Trim());
            return;
        }

        if (single.Length <= MaxCharactersPerLine)
        {
            Indent(sb, level).Append(single);
            return;
        }

        switch (expr)
        {
            case BinaryExpr b:
                WritePretty(sb, b.Left, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(b.Operator.Symbol());
                if (b.ReturnBool)
                {
                    sb.Append(" bool");
                }

                sb.Append(MatchingText(b));
                sb.Append('\n');
                WritePretty(sb, b.Right, level + 1);
                break;
            case Call c:
                Indent(sb, level).Append(c.Function.Name).Append("(\n");
                WritePrettyList(sb, c.Arguments, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(')');
                break;
            case AggregateExpr a:
                Indent(sb, level).Append(AggregationHead(a)).Append("(\n");
                if (a.Parameter is not null)
                {
                    WritePretty(sb, a.Parameter, level + 1);
                    sb.Append(",\n");
                }

                WritePretty(sb, a.Inner, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(')');
                break;
            case ParenExpr p:
                Indent(sb, level).Append("(\n");
                WritePretty(sb, p.Inner, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(')');
                break;
            case SubqueryExpr sq:
                // Prometheus indents only the inner expression; the suffix follows its last line.
                WritePretty(sb, sq.Inner, level);
                sb.Append(single[Format(sq.Inner).Length..]);
                break;
            default:
                Indent(sb, level).Append(single);
                break;
        }
    }

    private static void WritePrettyList(StringBuilder sb, IReadOnlyList<Expr> items, int level)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(",\n");
            }

            WritePretty(sb, items[i], level);
        }
    }

    private static StringBuilder Indent(StringBuilder sb, int level) => sb.Append(' ', level * 2);
}
