namespace LumaDB.Query.Sql.Syntax;

/// <summary>Infix operators the parser knows by name.</summary>
public enum BinaryOperator
{
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Subtract,
    /// <summary><c>*</c></summary>
    Multiply,
    /// <summary><c>/</c></summary>
    Divide,
    /// <summary><c>%</c></summary>
    Modulo,
    /// <summary><c>^</c></summary>
    Power,
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>&lt;&gt;</c> or <c>!=</c></summary>
    NotEqual,
    /// <summary><c>&lt;</c></summary>
    LessThan,
    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,
    /// <summary><c>&gt;</c></summary>
    GreaterThan,
    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,
    /// <summary>AND</summary>
    And,
    /// <summary>OR</summary>
    Or,
    /// <summary><c>||</c></summary>
    Concat,
    /// <summary><c>~</c></summary>
    RegexMatch,
    /// <summary><c>~*</c></summary>
    RegexMatchInsensitive,
    /// <summary><c>!~</c></summary>
    RegexNotMatch,
    /// <summary><c>!~*</c></summary>
    RegexNotMatchInsensitive,
    /// <summary><c>-&gt;</c></summary>
    JsonGet,
    /// <summary><c>-&gt;&gt;</c></summary>
    JsonGetText,
    /// <summary><c>#&gt;</c></summary>
    JsonGetPath,
    /// <summary><c>#&gt;&gt;</c></summary>
    JsonGetPathText,
    /// <summary><c>@&gt;</c></summary>
    Contains,
    /// <summary><c>&lt;@</c></summary>
    ContainedBy,
    /// <summary><c>?</c></summary>
    JsonHasKey,
    /// <summary><c>?|</c></summary>
    JsonHasAnyKey,
    /// <summary><c>?&amp;</c></summary>
    JsonHasAllKeys,
    /// <summary><c>&amp;&amp;</c></summary>
    Overlaps,
    /// <summary><c>&lt;-&gt;</c> (vector L2 distance)</summary>
    L2Distance,
    /// <summary><c>&lt;=&gt;</c> (vector cosine distance)</summary>
    CosineDistance,
    /// <summary><c>&lt;#&gt;</c> (vector negative inner product)</summary>
    NegativeInnerProduct,
    /// <summary><c>&amp;</c></summary>
    BitwiseAnd,
    /// <summary><c>|</c></summary>
    BitwiseOr,
    /// <summary><c>#</c></summary>
    BitwiseXor,
    /// <summary><c>&lt;&lt;</c></summary>
    ShiftLeft,
    /// <summary><c>&gt;&gt;</c></summary>
    ShiftRight,
}

/// <summary>Prefix operators the parser knows by name.</summary>
public enum UnaryOperator
{
    /// <summary>Unary <c>-</c></summary>
    Negate,
    /// <summary>Unary <c>+</c></summary>
    Plus,
    /// <summary>NOT</summary>
    Not,
    /// <summary><c>~</c> bitwise not</summary>
    BitwiseNot,
}

/// <summary>What an IS test checks.</summary>
public enum IsTest
{
    /// <summary>IS NULL</summary>
    Null,
    /// <summary>IS TRUE</summary>
    True,
    /// <summary>IS FALSE</summary>
    False,
    /// <summary>IS UNKNOWN</summary>
    Unknown,
}

/// <summary>Pattern-matching flavour.</summary>
public enum LikeKind
{
    /// <summary>LIKE</summary>
    Like,
    /// <summary>ILIKE</summary>
    ILike,
    /// <summary>SIMILAR TO</summary>
    SimilarTo,
}

/// <summary>ANY/SOME or ALL.</summary>
public enum Quantifier
{
    /// <summary>ANY or SOME</summary>
    Any,
    /// <summary>ALL</summary>
    All,
}

/// <summary>The special SQL value functions written without parentheses.</summary>
public enum SqlValueFunctionKind
{
    /// <summary>CURRENT_DATE</summary>
    CurrentDate,
    /// <summary>CURRENT_TIME</summary>
    CurrentTime,
    /// <summary>CURRENT_TIMESTAMP</summary>
    CurrentTimestamp,
    /// <summary>LOCALTIME</summary>
    LocalTime,
    /// <summary>LOCALTIMESTAMP</summary>
    LocalTimestamp,
    /// <summary>CURRENT_USER</summary>
    CurrentUser,
    /// <summary>CURRENT_ROLE</summary>
    CurrentRole,
    /// <summary>SESSION_USER</summary>
    SessionUser,
    /// <summary>USER</summary>
    User,
    /// <summary>SYSTEM_USER</summary>
    SystemUser,
    /// <summary>CURRENT_CATALOG</summary>
    CurrentCatalog,
    /// <summary>CURRENT_SCHEMA</summary>
    CurrentSchema,
}

/// <summary>Kinds of grouping construct in GROUP BY.</summary>
public enum GroupingSetKind
{
    /// <summary>The empty grouping set <c>()</c>.</summary>
    Empty,
    /// <summary>ROLLUP (...)</summary>
    Rollup,
    /// <summary>CUBE (...)</summary>
    Cube,
    /// <summary>GROUPING SETS (...)</summary>
    Sets,
}
