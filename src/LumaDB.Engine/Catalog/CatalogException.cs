namespace LumaDB.Engine.Catalog;

/// <summary>What went wrong with a catalog change; the query layer maps it to a SQLSTATE.</summary>
public enum CatalogErrorKind
{
    /// <summary>The object already exists (42P07 for tables, 42P06 for schemas...).</summary>
    AlreadyExists,

    /// <summary>The object does not exist (42P01...).</summary>
    NotFound,

    /// <summary>Other objects depend on it (2BP01).</summary>
    HasDependents,

    /// <summary>The definition is invalid (42P16...).</summary>
    Invalid,

    /// <summary>A value the definition gives is out of its allowed range (22023, as for sequence options).</summary>
    InvalidValue,

    /// <summary>Existing rows have no value for a column the new definition makes NOT NULL (23502).</summary>
    NotNullViolation,
}

/// <summary>A catalog change was refused; nothing was changed.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CatalogException(CatalogErrorKind kind, string message)
        : base(message) => Kind = kind;

    /// <summary>Creates the exception.</summary>
    public CatalogException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CatalogException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public CatalogErrorKind Kind { get; }
}
