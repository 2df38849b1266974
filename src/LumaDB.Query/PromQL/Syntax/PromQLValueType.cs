namespace LumaDB.Query.PromQL.Syntax;

/// <summary>The static type of a PromQL expression.</summary>
public enum PromQLValueType
{
    /// <summary>No value (only for malformed trees).</summary>
    None,

    /// <summary>A single float.</summary>
    Scalar,

    /// <summary>An instant vector: one sample per series.</summary>
    Vector,

    /// <summary>A range vector: a window of samples per series.</summary>
    Matrix,

    /// <summary>A string.</summary>
    String,
}

/// <summary>Names of value types as they appear in Prometheus's messages.</summary>
public static class PromQLValueTypeNames
{
    /// <summary>The user-facing name: "scalar", "instant vector", "range vector", "string".</summary>
    public static string Documented(this PromQLValueType type) => type switch
    {
        PromQLValueType.Scalar => "scalar",
        PromQLValueType.Vector => "instant vector",
        PromQLValueType.Matrix => "range vector",
        PromQLValueType.String => "string",
        _ => "none",
    };

    /// <summary>The API name: "scalar", "vector", "matrix", "string" (as in the HTTP API's resultType).</summary>
    public static string ApiName(this PromQLValueType type) => type switch
    {
        PromQLValueType.Scalar => "scalar",
        PromQLValueType.Vector => "vector",
        PromQLValueType.Matrix => "matrix",
        PromQLValueType.String => "string",
        _ => "none",
    };
}
