namespace LumaDB.Query.Sql.Syntax;

/// <summary>A possibly qualified object name such as <c>t</c>, <c>s.t</c> or <c>db.s.t</c>; parts are already case-folded.</summary>
/// <param name="Parts">The dotted parts, outermost first.</param>
public sealed record QualifiedName(SyntaxList<string> Parts) : SyntaxNode
{
    /// <summary>The last part: the object's own name.</summary>
    public string Name => Parts[^1];

    /// <summary>The schema part when the name is qualified, else null.</summary>
    public string? Schema => Parts.Count >= 2 ? Parts[^2] : null;

    /// <summary>Creates an unqualified name.</summary>
    public static QualifiedName Of(string name) => new([name]);

    /// <inheritdoc/>
    public override string ToString() => string.Join('.', Parts);
}

/// <summary>
/// A data type as written in SQL, with SQL-standard spellings mapped to PostgreSQL's own names
/// (<c>integer</c> → <c>int4</c>, <c>double precision</c> → <c>float8</c>, <c>timestamp with time zone</c> → <c>timestamptz</c>).
/// </summary>
/// <param name="Name">Type name; unqualified for built-in types.</param>
/// <param name="Modifiers">Type modifiers such as a length, precision and scale, or a vector dimension.</param>
/// <param name="ArrayBounds">One entry per array dimension; -1 where no bound was written.</param>
/// <param name="IntervalFields">For <c>interval</c>: the field restriction, such as <c>hour to second</c>; else null.</param>
public sealed record TypeName(QualifiedName Name, SyntaxList<int> Modifiers, SyntaxList<int> ArrayBounds, string? IntervalFields = null) : SyntaxNode
{
    /// <summary>True when the type is an array type.</summary>
    public bool IsArray => ArrayBounds.Count > 0;

    /// <summary>Creates a plain built-in type name.</summary>
    public static TypeName Of(string name) => new(QualifiedName.Of(name), SyntaxList<int>.Empty, SyntaxList<int>.Empty);
}

/// <summary>A <c>name = value</c> option as used in <c>WITH (...)</c> lists, EXPLAIN, COPY and role options.</summary>
/// <param name="Name">Option name, case-folded (multi-word names joined with a space, e.g. <c>connection limit</c>).</param>
/// <param name="Value">The value, or null when the option was given without one; words are kept as string literals.</param>
public sealed record SqlOption(string Name, Expression? Value) : SyntaxNode;
