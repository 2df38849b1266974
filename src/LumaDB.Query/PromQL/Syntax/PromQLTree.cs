namespace LumaDB.Query.PromQL.Syntax;

/// <summary>Tree walks over parsed expressions, for evaluators and the conformance runner.</summary>
public static class PromQLTree
{
    /// <summary>Every node of the tree, parents before children, in source order.</summary>
    public static IEnumerable<Expr> Walk(Expr root)
    {
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            // Push in reverse so that children come out in source order.
            foreach (var child in node.Children.Reverse())
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>
    /// Gives every selector and subquery that has no <c>@</c> modifier the timestamp <paramref name="timestampMs"/>,
    /// in place, as Prometheus's test harness does for its step-invariance check. Like the harness, it leaves the
    /// inside of a subquery that has (or is given) an <c>@</c> alone: the subquery already fixes its inner times.
    /// Returns how many were changed.
    /// </summary>
    public static int PinUnsetTimestamps(Expr root, long timestampMs)
    {
        var changed = 0;
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node)
            {
                case VectorSelector { Timestamp: null, At: AtBound.None } vs:
                    vs.Timestamp = timestampMs;
                    changed++;
                    break;
                case SubqueryExpr sq:
                    if (sq is { Timestamp: null, At: AtBound.None })
                    {
                        sq.Timestamp = timestampMs;
                        changed++;
                    }

                    continue;
            }

            foreach (var child in node.Children)
            {
                stack.Push(child);
            }
        }

        return changed;
    }

    /// <summary>Whether the tree calls <paramref name="functionName"/> anywhere.</summary>
    public static bool Calls(Expr root, string functionName) =>
        Walk(root).Any(n => n is Call c && c.Function.Name == functionName);
}
