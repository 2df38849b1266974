using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>Whether an annotation is a warning (the result may be wrong) or an info (the result may surprise).</summary>
public enum QueryAnnotationKind
{
    /// <summary>Returned in the API's <c>warnings</c> list.</summary>
    Warning,

    /// <summary>Returned in the API's <c>infos</c> list.</summary>
    Info,
}

/// <summary>
/// A note attached to a successful query result, as Prometheus returns them: a message about the data or the
/// query and the position of the sub-expression it concerns.
/// </summary>
/// <param name="Kind">Warning or info.</param>
/// <param name="Message">The text without the position, e.g. <c>PromQL info: metric might not be a counter, …</c>.</param>
/// <param name="Position">The sub-expression the note is about.</param>
public readonly record struct QueryAnnotation(QueryAnnotationKind Kind, string Message, PositionRange Position)
{
    /// <summary>The text the API returns: the message followed by <c>(line:column)</c> of the sub-expression in <paramref name="query"/>.</summary>
    public string Format(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (Position.Start > query.Length)
        {
            return Message + " (unknown position)";
        }

        var line = 1;
        var lastBreak = -1;
        for (var i = 0; i < Position.Start; i++)
        {
            if (query[i] == '\n')
            {
                line++;
                lastBreak = i;
            }
        }

        return $"{Message} ({line}:{Position.Start - lastBreak})";
    }
}
