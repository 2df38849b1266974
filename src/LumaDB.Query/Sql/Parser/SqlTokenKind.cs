namespace LumaDB.Query.Sql.Parser;

/// <summary>Lexical token kinds of the PostgreSQL dialect.</summary>
public enum SqlTokenKind
{
    /// <summary>End of the input.</summary>
    EndOfInput,
    /// <summary>Unquoted identifier or keyword; text is folded to lower case.</summary>
    Identifier,
    /// <summary>Double-quoted identifier; text is unescaped and keeps its case.</summary>
    QuotedIdentifier,
    /// <summary>String constant; text is the decoded value.</summary>
    String,
    /// <summary><c>B'...'</c>; text is the binary digits.</summary>
    BitString,
    /// <summary><c>X'...'</c>; text is the hex digits.</summary>
    HexString,
    /// <summary>Integer constant; text has underscores removed.</summary>
    Integer,
    /// <summary>Constant with a fraction or exponent; text has underscores removed.</summary>
    Decimal,
    /// <summary>Positional parameter <c>$n</c>; text is the number.</summary>
    Parameter,
    /// <summary>Operator; text is the operator (<c>!=</c> is reported as <c>&lt;&gt;</c>).</summary>
    Operator,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>(</c></summary>
    LeftParen,
    /// <summary><c>)</c></summary>
    RightParen,
    /// <summary><c>[</c></summary>
    LeftBracket,
    /// <summary><c>]</c></summary>
    RightBracket,
    /// <summary><c>.</c></summary>
    Dot,
    /// <summary><c>;</c></summary>
    Semicolon,
    /// <summary><c>:</c></summary>
    Colon,
    /// <summary><c>::</c></summary>
    DoubleColon,
    /// <summary><c>:=</c></summary>
    ColonEquals,
}
