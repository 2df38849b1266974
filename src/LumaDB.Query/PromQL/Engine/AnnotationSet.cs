using LumaDB.Query.PromQL.Syntax;

namespace LumaDB.Query.PromQL.Engine;

/// <summary>
/// The annotations one query collects. A message is kept once however many steps or series raise it (the last
/// position wins, as in Prometheus, which keys them by text).
/// </summary>
internal sealed class AnnotationSet
{
    private Dictionary<string, QueryAnnotation>? _byMessage;

    public bool IsEmpty => _byMessage is null;

    public void Add(QueryAnnotationKind kind, string message, PositionRange position)
    {
        _byMessage ??= new Dictionary<string, QueryAnnotation>(StringComparer.Ordinal);
        _byMessage[message] = new QueryAnnotation(kind, message, position);
    }

    public void Warn(string message, PositionRange position) => Add(QueryAnnotationKind.Warning, "PromQL warning: " + message, position);

    public void Info(string message, PositionRange position) => Add(QueryAnnotationKind.Info, "PromQL info: " + message, position);

    public IReadOnlyList<QueryAnnotation> ToList() => _byMessage is null ? [] : [.. _byMessage.Values];
}
