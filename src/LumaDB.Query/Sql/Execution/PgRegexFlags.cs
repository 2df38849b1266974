namespace LumaDB.Query.Sql.Execution;

/// <summary>PostgreSQL regular-expression options, from a flags argument or an embedded <c>(?...)</c> prefix.</summary>
[Flags]
public enum PgRegexFlags
{
    /// <summary>Case-sensitive, newline is an ordinary character, advanced (ARE) syntax.</summary>
    None = 0,

    /// <summary><c>i</c>: case-insensitive matching.</summary>
    IgnoreCase = 1,

    /// <summary><c>g</c>: every match rather than the first (only for functions that allow it).</summary>
    Global = 2,

    /// <summary><c>n</c>/<c>p</c>: <c>.</c> and negated brackets do not match a newline.</summary>
    NewlineStopsDot = 4,

    /// <summary><c>n</c>/<c>w</c>: <c>^</c> and <c>$</c> also match at line starts and ends.</summary>
    NewlineAnchors = 8,

    /// <summary><c>x</c>: expanded syntax, white space and <c>#</c> comments are ignored.</summary>
    Expanded = 16,

    /// <summary><c>q</c>: the whole pattern is a literal string.</summary>
    Literal = 32,

    /// <summary><c>b</c>: basic (BRE) syntax.</summary>
    Basic = 64,
}
