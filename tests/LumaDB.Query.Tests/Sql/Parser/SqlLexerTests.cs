using LumaDB.Query.Sql.Parser;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class SqlLexerTests
{
    private static List<SqlToken> Lex(string sql) => SqlLexer.Tokenize(sql);

    private static SqlToken Single(string sql)
    {
        var tokens = Lex(sql);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(SqlTokenKind.EndOfInput, tokens[1].Kind);
        return tokens[0];
    }

    private static SqlSyntaxException LexError(string sql) => Assert.Throws<SqlSyntaxException>(() => Lex(sql));

    [Fact]
    public void Unquoted_identifiers_are_folded_to_lower_case()
    {
        var tokens = Lex("SELECT FooBar");
        Assert.Equal(["select", "foobar", ""], tokens.Select(t => t.Text));
        Assert.All(tokens.Take(2), t => Assert.Equal(SqlTokenKind.Identifier, t.Kind));
    }

    [Fact]
    public void Quoted_identifiers_keep_their_case_and_unescape_doubled_quotes()
    {
        var token = Single("\"Foo\"\"Bar\"");
        Assert.Equal(SqlTokenKind.QuotedIdentifier, token.Kind);
        Assert.Equal("Foo\"Bar", token.Text);
        Assert.Equal(10, token.Length);
    }

    [Fact]
    public void An_empty_quoted_identifier_is_a_zero_length_delimited_identifier_error()
    {
        var error = LexError("SELECT \"\"");
        Assert.Equal("zero-length delimited identifier at or near \"\"\"\"", error.Message);
        Assert.Equal(8, error.Position);
    }

    [Fact]
    public void Standard_strings_unescape_doubled_quotes_and_keep_backslashes()
    {
        Assert.Equal("it's \\n", Single("'it''s \\n'").Text);
    }

    [Fact]
    public void Escape_strings_decode_backslash_escapes()
    {
        var token = Single("E'a\\nb\\x41\\u00e9\\101\\'\\\\'");
        Assert.Equal(SqlTokenKind.String, token.Kind);
        Assert.Equal("a\nbAéA'\\", token.Text);
    }

    [Fact]
    public void Dollar_quoted_strings_take_their_body_verbatim()
    {
        Assert.Equal("a'b\\n", Single("$$a'b\\n$$").Text);
        Assert.Equal(" x $$ y ", Single("$tag$ x $$ y $tag$").Text);
    }

    [Fact]
    public void Adjacent_string_constants_separated_by_a_newline_are_concatenated()
    {
        var token = Single("'foo'\n  'bar'");
        Assert.Equal("foobar", token.Text);
        Assert.Equal(13, token.Length);
    }

    [Fact]
    public void Adjacent_string_constants_on_one_line_stay_separate()
    {
        var tokens = Lex("'foo' 'bar'");
        Assert.Equal(3, tokens.Count);
    }

    [Fact]
    public void Bit_and_hex_string_constants_keep_their_digits()
    {
        var tokens = Lex("B'0101' X'1F'");
        Assert.Equal((SqlTokenKind.BitString, "0101"), (tokens[0].Kind, tokens[0].Text));
        Assert.Equal((SqlTokenKind.HexString, "1F"), (tokens[1].Kind, tokens[1].Text));
    }

    [Theory]
    [InlineData("42", SqlTokenKind.Integer, "42")]
    [InlineData("1_000_000", SqlTokenKind.Integer, "1000000")]
    [InlineData("0x1F", SqlTokenKind.Integer, "0x1F")]
    [InlineData("0b101", SqlTokenKind.Integer, "0b101")]
    [InlineData("1.5", SqlTokenKind.Decimal, "1.5")]
    [InlineData(".5", SqlTokenKind.Decimal, ".5")]
    [InlineData("5.", SqlTokenKind.Decimal, "5.")]
    [InlineData("1.5e10", SqlTokenKind.Decimal, "1.5e10")]
    [InlineData("2E-3", SqlTokenKind.Decimal, "2E-3")]
    public void Numeric_literals_are_recognised_in_all_forms(string sql, SqlTokenKind kind, string text)
    {
        var token = Single(sql);
        Assert.Equal(kind, token.Kind);
        Assert.Equal(text, token.Text);
    }

    [Fact]
    public void Hex_integers_convert_to_their_value()
    {
        Assert.True(SqlLexer.TryParseInteger("0x1F", out var value));
        Assert.Equal(31, value);
    }

    [Fact]
    public void A_number_running_into_letters_is_trailing_junk()
    {
        var error = LexError("SELECT 123abc");
        Assert.Equal("trailing junk after numeric literal at or near \"123a\"", error.Message);
        Assert.Equal(8, error.Position);
    }

    [Fact]
    public void Positional_parameters_carry_their_number()
    {
        var tokens = Lex("$1 + $12");
        Assert.Equal((SqlTokenKind.Parameter, "1"), (tokens[0].Kind, tokens[0].Text));
        Assert.Equal((SqlTokenKind.Parameter, "12"), (tokens[2].Kind, tokens[2].Text));
    }

    [Theory]
    [InlineData("->")]
    [InlineData("->>")]
    [InlineData("#>")]
    [InlineData("#>>")]
    [InlineData("@>")]
    [InlineData("<@")]
    [InlineData("?")]
    [InlineData("?|")]
    [InlineData("?&")]
    [InlineData("||")]
    [InlineData("<->")]
    [InlineData("<=>")]
    [InlineData("<#>")]
    [InlineData("<>")]
    [InlineData(">=")]
    [InlineData("<=")]
    [InlineData("~")]
    [InlineData("~*")]
    [InlineData("!~")]
    [InlineData("!~*")]
    [InlineData("<<")]
    [InlineData("&&")]
    public void Multi_character_operators_are_one_token(string op)
    {
        var tokens = Lex("a " + op + " b");
        Assert.Equal(4, tokens.Count);
        Assert.Equal((SqlTokenKind.Operator, op), (tokens[1].Kind, tokens[1].Text));
    }

    [Fact]
    public void Not_equals_with_an_exclamation_mark_is_reported_as_angle_brackets()
    {
        Assert.Equal("<>", Lex("a != b")[1].Text);
    }

    [Fact]
    public void An_operator_cannot_end_in_a_sign_unless_it_contains_a_special_character()
    {
        Assert.Equal(["a", "*", "-", "1", ""], Lex("a*-1").Select(t => t.Text));
        Assert.Equal(["a", "<", "-", "1", ""], Lex("a<-1").Select(t => t.Text));
        Assert.Equal(["a", "@-", "1", ""], Lex("a@-1").Select(t => t.Text));
    }

    [Fact]
    public void Typecast_and_punctuation_are_their_own_tokens()
    {
        var kinds = Lex("x::int[1](a,b);.:").Select(t => t.Kind);
        Assert.Equal(
            [
                SqlTokenKind.Identifier, SqlTokenKind.DoubleColon, SqlTokenKind.Identifier, SqlTokenKind.LeftBracket,
                SqlTokenKind.Integer, SqlTokenKind.RightBracket, SqlTokenKind.LeftParen, SqlTokenKind.Identifier,
                SqlTokenKind.Comma, SqlTokenKind.Identifier, SqlTokenKind.RightParen, SqlTokenKind.Semicolon,
                SqlTokenKind.Dot, SqlTokenKind.Colon, SqlTokenKind.EndOfInput,
            ],
            kinds);
    }

    [Fact]
    public void Line_comments_and_nested_block_comments_are_skipped()
    {
        var tokens = Lex("SELECT /* a /* nested */ b */ 1 -- tail\n+ 2");
        Assert.Equal(["select", "1", "+", "2", ""], tokens.Select(t => t.Text));
    }

    [Fact]
    public void A_comment_start_ends_an_operator()
    {
        Assert.Equal(["a", "+", "b", ""], Lex("a +-- comment\n b").Select(t => t.Text));
    }

    [Fact]
    public void An_unterminated_block_comment_is_an_error_at_its_start()
    {
        var error = LexError("SELECT 1 /* open");
        Assert.Equal("unterminated /* comment at or near \"/* open\"", error.Message);
        Assert.Equal(10, error.Position);
    }

    [Fact]
    public void An_unterminated_string_is_reported_from_its_opening_quote()
    {
        var error = LexError("SELECT 'abc");
        Assert.Equal("unterminated quoted string at or near \"'abc\"", error.Message);
        Assert.Equal(8, error.Position);
        Assert.Equal("42601", SqlSyntaxException.SqlState);
    }

    [Fact]
    public void An_unterminated_dollar_quote_is_an_error()
    {
        var error = LexError("SELECT $x$abc");
        Assert.Equal("unterminated dollar-quoted string at or near \"$x$abc\"", error.Message);
    }

    [Fact]
    public void Every_token_keeps_its_source_position()
    {
        var tokens = Lex("SELECT  a,\n  'x'");
        Assert.Equal([0, 8, 9, 13, 16], tokens.Select(t => t.Start));
        Assert.Equal([6, 1, 1, 3, 0], tokens.Select(t => t.Length));
    }

    [Fact]
    public void Lexing_keywords_punctuation_and_common_operators_allocates_nothing()
    {
        const string sql = "SELECT DISTINCT FROM WHERE (AND, OR) NOT NULL = <> <= >= + - * / || -> ->> :: ; ORDER BY LIMIT";
        static int CountTokens(string text)
        {
            var lexer = new SqlLexer(text);
            var count = 0;
            while (lexer.Next().Kind != SqlTokenKind.EndOfInput)
            {
                count++;
            }

            return count;
        }

        CountTokens(sql);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var tokens = CountTokens(sql);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(27, tokens);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Keyword_tokens_share_one_string_instance()
    {
        Assert.Same(Lex("SELECT")[0].Text, Lex("select")[0].Text);
    }
}
