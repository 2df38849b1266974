namespace LumaDB.Query.PromQL.Parser;

/// <summary>Kinds of PromQL tokens.</summary>
public enum TokenKind
{
    /// <summary>End of input.</summary>
    Eof,
    /// <summary>A lexical error; the token text is the message.</summary>
    Error,
    /// <summary>A name without colons.</summary>
    Identifier,
    /// <summary>A name containing a colon (recording-rule style).</summary>
    MetricIdentifier,
    /// <summary>A number, including Inf and NaN.</summary>
    Number,
    /// <summary>A duration such as <c>5m</c> or <c>1h30m</c>.</summary>
    Duration,
    /// <summary>A quoted string, with its quotes.</summary>
    String,
    /// <summary><c>(</c></summary>
    LeftParen,
    /// <summary><c>)</c></summary>
    RightParen,
    /// <summary><c>{</c></summary>
    LeftBrace,
    /// <summary><c>}</c></summary>
    RightBrace,
    /// <summary><c>[</c></summary>
    LeftBracket,
    /// <summary><c>]</c></summary>
    RightBracket,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>:</c> (subquery step separator)</summary>
    Colon,
    /// <summary><c>=</c></summary>
    Assign,
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Sub,
    /// <summary><c>*</c></summary>
    Mul,
    /// <summary><c>/</c></summary>
    Div,
    /// <summary><c>%</c></summary>
    Mod,
    /// <summary><c>^</c></summary>
    Pow,
    /// <summary><c>==</c></summary>
    EqlC,
    /// <summary><c>!=</c></summary>
    Neq,
    /// <summary><c>&lt;=</c></summary>
    Lte,
    /// <summary><c>&lt;</c></summary>
    Lss,
    /// <summary><c>&gt;=</c></summary>
    Gte,
    /// <summary><c>&gt;</c></summary>
    Gtr,
    /// <summary><c>=~</c></summary>
    EqlRegex,
    /// <summary><c>!~</c></summary>
    NeqRegex,
    /// <summary><c>&lt;/</c> (histogram trim upper)</summary>
    TrimUpper,
    /// <summary><c>&gt;/</c> (histogram trim lower)</summary>
    TrimLower,
    /// <summary><c>@</c></summary>
    At,
    /// <summary><c>and</c></summary>
    And,
    /// <summary><c>or</c></summary>
    Or,
    /// <summary><c>unless</c></summary>
    Unless,
    /// <summary><c>atan2</c></summary>
    Atan2,
    /// <summary>An aggregation keyword (sum, topk, ...).</summary>
    Aggregator,
    /// <summary><c>by</c></summary>
    By,
    /// <summary><c>without</c></summary>
    Without,
    /// <summary><c>on</c></summary>
    On,
    /// <summary><c>ignoring</c></summary>
    Ignoring,
    /// <summary><c>group_left</c></summary>
    GroupLeft,
    /// <summary><c>group_right</c></summary>
    GroupRight,
    /// <summary><c>bool</c></summary>
    Bool,
    /// <summary><c>offset</c></summary>
    Offset,
    /// <summary><c>start</c> (of <c>@ start()</c>)</summary>
    Start,
    /// <summary><c>end</c> (of <c>@ end()</c>)</summary>
    End,
    /// <summary><c>step</c> (of <c>step()</c>)</summary>
    Step,
    /// <summary><c>range</c> (of <c>range()</c>)</summary>
    Range,
    /// <summary><c>anchored</c></summary>
    Anchored,
    /// <summary><c>smoothed</c></summary>
    Smoothed,
}
