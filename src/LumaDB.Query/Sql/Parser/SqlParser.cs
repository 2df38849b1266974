using System.Diagnostics.CodeAnalysis;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>
/// Hand-written recursive-descent parser for the PostgreSQL dialect: statements by recursive descent,
/// expressions by precedence climbing with PostgreSQL's operator precedence table.
/// </summary>
public sealed partial class SqlParser
{
    // Deeper nesting than this is refused rather than risking the thread's stack.
    private const int MaxDepth = 500;

    private readonly string _source;
    private readonly List<SqlToken> _tokens;
    private readonly List<string> _expected = [];
    private int _pos;
    private int _expectedAt = -1;
    private int _depth;

    private SqlParser(string source)
    {
        _source = source;
        _tokens = SqlLexer.Tokenize(source);
    }

    /// <summary>Parses a script of statements separated by semicolons.</summary>
    /// <exception cref="SqlSyntaxException">When the text is not valid SQL.</exception>
    public static SqlScript ParseScript(string sql)
    {
        var parser = new SqlParser(sql);
        return new SqlScript(sql, parser.ParseStatementList());
    }

    /// <summary>Parses a script without throwing; on failure <paramref name="error"/> says what and where.</summary>
    public static bool TryParseScript(string sql, [NotNullWhen(true)] out SqlScript? script, [NotNullWhen(false)] out SqlSyntaxError? error)
    {
        try
        {
            script = ParseScript(sql);
            error = null;
            return true;
        }
        catch (SqlSyntaxException e)
        {
            script = null;
            error = e.Error;
            return false;
        }
    }

    /// <summary>Parses exactly one statement (a trailing semicolon is allowed).</summary>
    /// <exception cref="SqlSyntaxException">When the text is not exactly one valid statement.</exception>
    public static Statement ParseStatement(string sql)
    {
        var parser = new SqlParser(sql);
        var statements = parser.ParseStatementList();
        if (statements.Count != 1)
        {
            throw new SqlSyntaxException(SqlSyntaxError.At(sql, sql.Length, statements.Count == 0
                ? "syntax error at end of input"
                : "cannot insert multiple commands into a single statement"));
        }

        return statements[0];
    }

    /// <summary>Parses a single scalar expression.</summary>
    /// <exception cref="SqlSyntaxException">When the text is not one valid expression.</exception>
    public static Expression ParseExpression(string sql)
    {
        var parser = new SqlParser(sql);
        var expression = parser.ParseExpr();
        parser.ExpectEnd();
        return expression;
    }

    /// <summary>Parses a type name such as <c>numeric(10,2)</c> or <c>timestamp with time zone[]</c>.</summary>
    /// <exception cref="SqlSyntaxException">When the text is not one valid type name.</exception>
    public static TypeName ParseTypeName(string sql)
    {
        var parser = new SqlParser(sql);
        var type = parser.ParseType();
        parser.ExpectEnd();
        return type;
    }

    private SyntaxList<Statement> ParseStatementList()
    {
        var statements = new List<Statement>();
        while (true)
        {
            while (Accept(SqlTokenKind.Semicolon))
            {
            }

            if (Current.Kind == SqlTokenKind.EndOfInput)
            {
                return SyntaxList.From(statements);
            }

            statements.Add(ParseStatementCore());
            if (!Accept(SqlTokenKind.Semicolon) && Current.Kind != SqlTokenKind.EndOfInput)
            {
                Note(";");
                throw SyntaxError();
            }
        }
    }

    private void ExpectEnd()
    {
        if (Current.Kind != SqlTokenKind.EndOfInput)
        {
            Note("end of input");
            throw SyntaxError();
        }
    }

    private SqlToken Current => _tokens[_pos];

    private SqlToken PeekToken(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private SqlToken Advance()
    {
        var token = _tokens[_pos];
        if (_pos < _tokens.Count - 1)
        {
            _pos++;
        }

        return token;
    }

    private int StartOf => Current.Start;

    /// <summary>Span from <paramref name="start"/> to the end of the last consumed token.</summary>
    private SourceSpan SpanFrom(int start) => SourceSpan.FromBounds(start, _pos == 0 ? start : Math.Max(start, _tokens[_pos - 1].End));

    private bool Note(string what)
    {
        if (_expectedAt != _pos)
        {
            _expected.Clear();
            _expectedAt = _pos;
        }

        if (!_expected.Contains(what))
        {
            _expected.Add(what);
        }

        return false;
    }

    private bool AtKeyword(string keyword) => Current.IsKeyword(keyword) || Note(keyword);

    private bool PeekKeyword(int ahead, string keyword) => PeekToken(ahead).IsKeyword(keyword);

    private bool AcceptKeyword(string keyword)
    {
        if (!AtKeyword(keyword))
        {
            return false;
        }

        Advance();
        return true;
    }

    private bool AcceptKeywords(string first, string second)
    {
        if (Current.IsKeyword(first) && PeekToken(1).IsKeyword(second))
        {
            Advance();
            Advance();
            return true;
        }

        return Note(first);
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AcceptKeyword(keyword))
        {
            throw SyntaxError();
        }
    }

    private bool At(SqlTokenKind kind) => Current.Kind == kind || Note(Describe(kind));

    private bool Accept(SqlTokenKind kind)
    {
        if (!At(kind))
        {
            return false;
        }

        Advance();
        return true;
    }

    private SqlToken Expect(SqlTokenKind kind)
    {
        if (!At(kind))
        {
            throw SyntaxError();
        }

        return Advance();
    }

    private bool AtOperator(string op) => Current.IsOperator(op) || Note(op);

    private bool AcceptOperator(string op)
    {
        if (!AtOperator(op))
        {
            return false;
        }

        Advance();
        return true;
    }

    private void ExpectOperator(string op)
    {
        if (!AcceptOperator(op))
        {
            throw SyntaxError();
        }
    }

    private static string Describe(SqlTokenKind kind) => kind switch
    {
        SqlTokenKind.Comma => ",",
        SqlTokenKind.LeftParen => "(",
        SqlTokenKind.RightParen => ")",
        SqlTokenKind.LeftBracket => "[",
        SqlTokenKind.RightBracket => "]",
        SqlTokenKind.Dot => ".",
        SqlTokenKind.Semicolon => ";",
        SqlTokenKind.Colon => ":",
        SqlTokenKind.DoubleColon => "::",
        SqlTokenKind.String => "string constant",
        SqlTokenKind.Integer => "integer constant",
        SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier => "identifier",
        _ => kind.ToString(),
    };

    /// <summary>A syntax error at the current token, worded as PostgreSQL words it.</summary>
    private SqlSyntaxException SyntaxError() => SyntaxErrorAt(_pos);

    private SqlSyntaxException SyntaxErrorAt(int tokenIndex)
    {
        var token = _tokens[tokenIndex];
        var message = token.Kind == SqlTokenKind.EndOfInput
            ? "syntax error at end of input"
            : string.Concat("syntax error at or near \"", _source.AsSpan(token.Start, token.Length), "\"");
        var expected = SyntaxList<string>.Empty;
        if (_expectedAt == tokenIndex && _expected.Count > 0)
        {
            // Keywords are shown upper-case; descriptions of token classes stay as written.
            expected = SyntaxList.From(_expected.Select(e => char.IsAsciiLetterLower(e[0]) && e is not ("expression" or "identifier") && !e.Contains(' ', StringComparison.Ordinal)
                ? e.ToUpperInvariant()
                : e).ToList());
        }

        return new SqlSyntaxException(SqlSyntaxError.At(_source, token.Start, message, expected));
    }

    private SqlSyntaxException ErrorAt(int offset, string message) => new(SqlSyntaxError.At(_source, offset, message));

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw ErrorAt(StartOf, "statement is too deeply nested");
        }
    }

    private void Leave() => _depth--;

    /// <summary>True when the current token can be an unquoted or quoted name (not a reserved word).</summary>
    private bool AtName() =>
        Current.Kind == SqlTokenKind.QuotedIdentifier
        || (Current.Kind == SqlTokenKind.Identifier && SqlKeywords.CanBeName(Current.Text))
        || Note("identifier");

    private string ParseName()
    {
        if (!AtName())
        {
            throw SyntaxError();
        }

        return Advance().Text;
    }

    /// <summary>A column label: any identifier, reserved words included (after AS or a dot).</summary>
    private string ParseLabel()
    {
        if (Current.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
        {
            return Advance().Text;
        }

        Note("identifier");
        throw SyntaxError();
    }

    private QualifiedName ParseQualifiedName()
    {
        var start = StartOf;
        var parts = new List<string> { ParseName() };
        while (Current.Kind == SqlTokenKind.Dot && PeekToken(1).Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
        {
            Advance();
            parts.Add(ParseLabel());
        }

        return new QualifiedName(SyntaxList.From(parts)) { Span = SpanFrom(start) };
    }

    private SyntaxList<QualifiedName> ParseQualifiedNameList()
    {
        var names = new List<QualifiedName> { ParseQualifiedName() };
        while (Accept(SqlTokenKind.Comma))
        {
            names.Add(ParseQualifiedName());
        }

        return SyntaxList.From(names);
    }

    /// <summary><c>(a, b, c)</c>.</summary>
    private SyntaxList<string> ParseParenthesizedNames()
    {
        Expect(SqlTokenKind.LeftParen);
        var names = new List<string> { ParseName() };
        while (Accept(SqlTokenKind.Comma))
        {
            names.Add(ParseName());
        }

        Expect(SqlTokenKind.RightParen);
        return SyntaxList.From(names);
    }

    private SyntaxList<string> ParseOptionalParenthesizedNames() =>
        Current.Kind == SqlTokenKind.LeftParen ? ParseParenthesizedNames() : SyntaxList<string>.Empty;

    private SyntaxList<T> ParseCommaList<T>(Func<T> parseItem)
    {
        var items = new List<T> { parseItem() };
        while (Accept(SqlTokenKind.Comma))
        {
            items.Add(parseItem());
        }

        return SyntaxList.From(items);
    }

    private int ParseIntegerValue()
    {
        var negative = AcceptOperator("-");
        var token = Expect(SqlTokenKind.Integer);
        if (!SqlLexer.TryParseInteger(token.Text, out var value) || value > int.MaxValue)
        {
            throw ErrorAt(token.Start, "value \"" + token.Text + "\" is out of range for type integer");
        }

        return negative ? -(int)value : (int)value;
    }

    private bool AcceptIfNotExists() => Current.IsKeyword("if") && PeekKeyword(1, "not") && PeekKeyword(2, "exists") ? Skip(3) : Note("if");

    private bool AcceptIfExists() => AcceptKeywords("if", "exists");

    private bool Skip(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Advance();
        }

        return true;
    }

    private DropBehavior ParseDropBehavior() =>
        AcceptKeyword("cascade") ? DropBehavior.Cascade : AcceptKeyword("restrict") ? DropBehavior.Restrict : DropBehavior.Default;
}
