namespace LumaDB.Query.Sql.Sessions;

/// <summary>The data formats of COPY.</summary>
public enum CopyFormat
{
    /// <summary>PostgreSQL's text format: delimited lines with backslash escapes.</summary>
    Text,

    /// <summary>Comma-separated values with quoting.</summary>
    Csv,

    /// <summary>PostgreSQL's binary format: a signature header, tuples of length-prefixed binary values, a trailer.</summary>
    Binary,
}
