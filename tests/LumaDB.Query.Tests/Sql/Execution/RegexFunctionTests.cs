using LumaDB.Query.Sql.Types;
using LumaDB.Query.Tests.Sql.Sessions;

namespace LumaDB.Query.Tests.Sql.Execution;

/// <summary>One database for the whole class: these queries read no tables.</summary>
public sealed class RegexDatabaseFixture : IAsyncLifetime
{
    internal SqlTestDatabase Db { get; private set; } = null!;

    public async Task InitializeAsync() => Db = await SqlTestDatabase.OpenAsync();

    public async Task DisposeAsync() => await Db.DisposeAsync();
}

/// <summary>
/// PostgreSQL regular expressions, regex substring and SIMILAR TO; every expected value and error was copied from
/// PostgreSQL 15's output. Runs through a session, whose results can carry text[] values.
/// </summary>
public sealed class RegexFunctionTests(RegexDatabaseFixture fixture) : IClassFixture<RegexDatabaseFixture>
{
    private async Task<string?> Scalar(string sql)
    {
        var (rows, _) = await fixture.Db.RunAsync(sql);
        return Assert.Single(rows)[0];
    }

    [Theory]
    [InlineData("SELECT regexp_match('foobarbequebaz', 'bar.*que')", "{barbeque}")]
    [InlineData("SELECT regexp_match('foobarbequebaz', '(bar)(beque)')", "{bar,beque}")]
    [InlineData("SELECT regexp_match('abc', '(x)?b')", "{NULL}")]
    [InlineData("SELECT regexp_match('abc', 'x')", null)]
    [InlineData("SELECT regexp_match(NULL, 'x')", null)]
    [InlineData("SELECT regexp_match('abc', NULL)", null)]
    [InlineData("SELECT regexp_match('abc', 'b', NULL)", null)]
    [InlineData("SELECT regexp_match('ABC', 'b', 'i')", "{B}")]
    [InlineData("SELECT regexp_match('ABC', 'b', 'ic')", null)]
    [InlineData("SELECT regexp_match('ABC', '(?i)b')", "{B}")]
    [InlineData("SELECT regexp_match('a b', '(\\w) (\\w)')", "{a,b}")]
    [InlineData("SELECT regexp_match('', '^$')", "{\"\"}")]
    [InlineData("SELECT regexp_match('aabbb', 'a+b+?')", "{aabbb}")]
    [InlineData("SELECT regexp_match('aabbb', '(a+?)(b+)')", "{aa,b}")]
    [InlineData("SELECT regexp_match('<a><b>', '<.+?>')", "{<a>}")]
    [InlineData("SELECT regexp_match('abcabc', '.*?(b.*)')", "{b}")]
    [InlineData("SELECT regexp_match('aa', '(a)\\1')", "{a}")]
    [InlineData("SELECT regexp_match('abab', '(a)(b)\\1\\2')", "{a,b}")]
    [InlineData("SELECT regexp_match('a{x', 'a{x')", "{\"a{x\"}")]
    [InlineData("SELECT regexp_match('a{,2}', 'a{,2}')", "{\"a{,2}\"}")]
    [InlineData("SELECT regexp_match('aaaa', 'a{2,3}')", "{aaa}")]
    [InlineData("SELECT regexp_match('aaaa', 'a{2,}?')", "{aa}")]
    [InlineData("SELECT regexp_match('a.b*c', 'a.b*c', 'q')", "{a.b*c}")]
    [InlineData("SELECT regexp_match('xa.b*c', '***=a.b*c')", "{a.b*c}")]
    [InlineData("SELECT regexp_match('abc', '***:b')", "{b}")]
    [InlineData("SELECT regexp_match('ab', 'a b # comment', 'x')", "{ab}")]
    [InlineData("SELECT regexp_match('a b', 'a\\ b', 'x')", "{\"a b\"}")]
    [InlineData("SELECT regexp_match('ab1_ ', '[[:alpha:]]+')", "{ab}")]
    [InlineData("SELECT regexp_match('ab1_ ', '[[:alnum:]_]+')", "{ab1_}")]
    [InlineData("SELECT regexp_match('x12y', '[[:digit:]]+')", "{12}")]
    [InlineData("SELECT regexp_match('x12y', '\\d+')", "{12}")]
    [InlineData("SELECT regexp_match('ab1_ c', '\\w+\\s\\w')", "{\"ab1_ c\"}")]
    [InlineData("SELECT regexp_match('a1b2', '\\D\\d\\D')", "{a1b}")]
    [InlineData("SELECT regexp_match('ab1', '[\\D]+')", "{ab}")]
    [InlineData("SELECT regexp_match('a]b', '[]]')", "{]}")]
    [InlineData("SELECT regexp_match('a]b', '[\\]]')", "{]}")]
    [InlineData("SELECT regexp_match('a-b', '[a-]+')", "{a-}")]
    [InlineData("SELECT regexp_match('xyz', '[^x]+')", "{yz}")]
    [InlineData("SELECT regexp_match('Hello', '[[:upper:]][[:lower:]]+')", "{Hello}")]
    [InlineData("SELECT regexp_match('hello', '[[:upper:]]+', 'i')", "{hello}")]
    [InlineData("SELECT regexp_match('a+b', '[[:punct:]]')", "{+}")]
    [InlineData("SELECT regexp_match('café au lait', '\\w+')", "{café}")]
    [InlineData("SELECT regexp_match('ÉCOLE', 'école', 'i')", "{ÉCOLE}")]
    [InlineData("SELECT regexp_match('a😀b', 'a.b')", "{a😀b}")]
    [InlineData("SELECT regexp_match('a😀b', 'a[^x]b')", "{a😀b}")]
    [InlineData("SELECT regexp_match('a😀b', '[😀]')", "{😀}")]
    [InlineData("SELECT regexp_match('ab', 'a\\x62')", "{ab}")]
    [InlineData("SELECT regexp_match('ab', '\\u0061b')", "{ab}")]
    [InlineData("SELECT regexp_match(E'a\\tb', 'a\\tb') IS NOT NULL", "t")]
    [InlineData("SELECT regexp_match('foo bar', '\\mbar')", "{bar}")]
    [InlineData("SELECT regexp_match('foobar', '\\mbar')", null)]
    [InlineData("SELECT regexp_match('foo bar', 'foo\\M')", "{foo}")]
    [InlineData("SELECT regexp_match('foo bar', '\\yb\\w+')", "{bar}")]
    [InlineData("SELECT regexp_match('foobar', 'o\\Yb')", "{ob}")]
    [InlineData("SELECT regexp_match('foo bar', '[[:<:]]bar')", "{bar}")]
    [InlineData("SELECT regexp_match('abc', '\\Ab')", null)]
    [InlineData("SELECT regexp_match('abc', 'c\\Z')", "{c}")]
    [InlineData("SELECT regexp_match('foobar', 'foo(?=bar)')", "{foo}")]
    [InlineData("SELECT regexp_match('foobaz', 'foo(?!bar)')", "{foo}")]
    [InlineData("SELECT regexp_match('foobar', '(?<=foo)bar')", "{bar}")]
    [InlineData("SELECT regexp_match('foobar', '(?:f)(o+)')", "{oo}")]
    [InlineData("SELECT regexp_match('foobar', 'x(?=(b))|o(?=(b))')", "{o}")]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a.b')", "{\"a\nb\"}")]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a.b', 'n')", null)]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a[^x]b', 'n')", null)]
    [InlineData("SELECT regexp_match(E'a\\nb', '^b')", null)]
    [InlineData("SELECT regexp_match(E'a\\nb', '^b', 'n')", "{b}")]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a$', 'n')", "{a}")]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a$')", null)]
    [InlineData("SELECT regexp_match(E'a\\n', 'a$')", null)]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a.b', 'p')", null)]
    [InlineData("SELECT regexp_match(E'a\\nb', '^b', 'p')", null)]
    [InlineData("SELECT regexp_match(E'a\\nb', '^b', 'w')", "{b}")]
    [InlineData("SELECT regexp_match(E'a\\nb', 'a.b', 'w')", "{\"a\nb\"}")]
    [InlineData("SELECT regexp_match(E'a\\nb', '(?n)a.b')", null)]
    [InlineData("SELECT regexp_match('a#b', 'a#b')", "{a#b}")]
    [InlineData("SELECT regexp_match('a b', 'a b')", "{\"a b\"}")]
    [InlineData("SELECT regexp_match('xaabbbx', '(a+){1}(b+?)')", "{aa,bbb}")]
    [InlineData("SELECT regexp_match('xaabbbx', '(?:a+?){1,1}(b+)')", "{bbb}")]
    [InlineData("SELECT regexp_match('xaabbbx', '(a+?|z)(b+)')", "{aa,bbb}")]
    public async Task Regexp_match_returns_captures_or_the_whole_match_as_text_array(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_replace('Thomas', '.[mN]a.', 'M')", "ThM")]
    [InlineData("SELECT regexp_replace('foobarbaz', 'b..', 'X')", "fooXbaz")]
    [InlineData("SELECT regexp_replace('foobarbaz', 'b..', 'X', 'g')", "fooXX")]
    [InlineData("SELECT regexp_replace('foobarbaz', 'b(..)', 'X\\1Y', 'g')", "fooXarYXazY")]
    [InlineData("SELECT regexp_replace('abc', 'b', '[\\&]')", "a[b]c")]
    [InlineData("SELECT regexp_replace('abc', '(b)', '[\\2]')", "a[]c")]
    [InlineData("SELECT regexp_replace('abc', 'b', '\\\\x\\0\\')", "a\\x\\0\\c")]
    [InlineData("SELECT regexp_replace('ABC', 'b', 'x', 'i')", "AxC")]
    [InlineData("SELECT regexp_replace('abc', '', '-', 'g')", "-a-b-c-")]
    [InlineData("SELECT regexp_replace('abc', 'x*', '-', 'g')", "-a-b-c-")]
    [InlineData("SELECT regexp_replace('abc', 'z', 'x')", "abc")]
    [InlineData("SELECT regexp_replace('', 'z', 'x')", "")]
    [InlineData("SELECT regexp_replace('', '^', 'x')", "x")]
    [InlineData("SELECT regexp_replace('A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 2)", "A PostgrXSQL function")]
    [InlineData("SELECT regexp_replace('A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 0, 'i')", "X PXstgrXSQL fXnctXXn")]
    [InlineData("SELECT regexp_replace('A PostgreSQL function', 'a|e|i|o|u', 'X', 1, 3, 'i')", "A PostgrXSQL function")]
    [InlineData("SELECT regexp_replace('aaa', 'a', 'x', 2)", "axa")]
    [InlineData("SELECT regexp_replace('aaa', 'a', 'x', 1, 2, 'g')", "axa")]
    [InlineData("SELECT regexp_replace('aaa', 'a', 'x', 5)", "aaa")]
    [InlineData("SELECT regexp_replace('aaa', 'a', 'x', 1, 9)", "aaa")]
    [InlineData("SELECT regexp_replace('😀a😀a', 'a', 'x', 3)", "😀a😀x")]
    [InlineData("SELECT regexp_replace(NULL, 'a', 'x')", null)]
    [InlineData("SELECT regexp_replace('a', 'a', NULL)", null)]
    [InlineData("SELECT regexp_replace('a', 'a', 'x', NULL)", null)]
    [InlineData("SELECT regexp_replace('a', 'a', 'x', 1, NULL)", null)]
    [InlineData("SELECT regexp_replace('Hello World', '(\\w+) (\\w+)', '\\2 \\1')", "World Hello")]
    public async Task Regexp_replace_substitutes_matches_and_group_references(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_split_to_array('hello world', '\\s+')", "{hello,world}")]
    [InlineData("SELECT regexp_split_to_array('hello world', '\\s*')", "{h,e,l,l,o,w,o,r,l,d}")]
    [InlineData("SELECT regexp_split_to_array('a,b,,c', ',')", "{a,b,\"\",c}")]
    [InlineData("SELECT regexp_split_to_array('', ',')", "{\"\"}")]
    [InlineData("SELECT regexp_split_to_array('abc', '')", "{a,b,c}")]
    [InlineData("SELECT regexp_split_to_array(',a,', ',')", "{\"\",a,\"\"}")]
    [InlineData("SELECT regexp_split_to_array('aXbxc', 'x', 'i')", "{a,b,c}")]
    [InlineData("SELECT regexp_split_to_array('a😀b😀c', '😀')", "{a,b,c}")]
    [InlineData("SELECT regexp_split_to_array('a b', ' ', NULL)", null)]
    [InlineData("SELECT regexp_split_to_array('a \"b\" c', ' ')", "{a,\"\\\"b\\\"\",c}")]
    public async Task Regexp_split_to_array_splits_at_matches(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_count('ABCABCAXYaxy', 'A.')", "3")]
    [InlineData("SELECT regexp_count('ABCABCAXYaxy', 'A.', 1, 'i')", "4")]
    [InlineData("SELECT regexp_count('ABCABCAXYaxy', 'A.', 4)", "2")]
    [InlineData("SELECT regexp_count('abc', '')", "4")]
    [InlineData("SELECT regexp_count('abab', '^a', 3)", "0")]
    [InlineData("SELECT regexp_count('abab', '\\mb', 2)", "0")]
    [InlineData("SELECT regexp_count('abc', 'b', 10)", "0")]
    [InlineData("SELECT regexp_count('😀a😀a', 'a', 3)", "1")]
    [InlineData("SELECT regexp_count('', 'a')", "0")]
    [InlineData("SELECT regexp_count(NULL, 'a')", null)]
    [InlineData("SELECT regexp_count('a', 'a', NULL)", null)]
    public async Task Regexp_count_counts_non_overlapping_matches(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_instr('number of your street, town zip, FR', '[^,]+', 1, 2)", "23")]
    [InlineData("SELECT regexp_instr('ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i', 2)", "6")]
    [InlineData("SELECT regexp_instr('abcabc', 'b', 1, 2, 1)", "6")]
    [InlineData("SELECT regexp_instr('abc', 'x')", "0")]
    [InlineData("SELECT regexp_instr('abc', 'b', 10)", "0")]
    [InlineData("SELECT regexp_instr('abc', '(x)?b', 1, 1, 0, '', 1)", "0")]
    [InlineData("SELECT regexp_instr('abc', 'b', 1, 1, 0, '', 5)", "0")]
    [InlineData("SELECT regexp_instr('😀ab', 'b')", "3")]
    [InlineData("SELECT regexp_instr('😀ab', 'a', 1, 1, 1)", "3")]
    [InlineData("SELECT regexp_instr('abc', 'b', 1, 1, NULL)", null)]
    public async Task Regexp_instr_returns_character_positions(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_substr('number of your street, town zip, FR', '[^,]+', 1, 2)", " town zip")]
    [InlineData("SELECT regexp_substr('ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2)", "FGH")]
    [InlineData("SELECT regexp_substr('abc', '(x)?b', 1, 1, '', 1)", null)]
    [InlineData("SELECT regexp_substr('abc', 'b', 1, 1, '', 5)", null)]
    [InlineData("SELECT regexp_substr('abc', 'x')", null)]
    [InlineData("SELECT regexp_substr('abcabc', 'b.', 3)", "bc")]
    [InlineData("SELECT regexp_substr('abc', 'b', 1, 2)", null)]
    [InlineData("SELECT regexp_substr('abc', '')", "")]
    [InlineData("SELECT regexp_substr(NULL, 'b')", null)]
    public async Task Regexp_substr_returns_the_nth_match_or_subexpression(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_like('Hello World', 'world')", "f")]
    [InlineData("SELECT regexp_like('Hello World', 'world', 'i')", "t")]
    [InlineData("SELECT regexp_like('', '')", "t")]
    [InlineData("SELECT regexp_like(NULL, 'a')", null)]
    [InlineData("SELECT regexp_like('a', 'a', NULL)", null)]
    public async Task Regexp_like_tests_for_a_match(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT substring('abcdef' from 'c.')", "cd")]
    [InlineData("SELECT substring('abcdef' from 'b(c)d')", "c")]
    [InlineData("SELECT substring('abcdef' from '(x)?c')", null)]
    [InlineData("SELECT substring('abcdef' from 'z')", null)]
    [InlineData("SELECT substring('abcdef', 'd.')", "de")]
    [InlineData("SELECT substring('abcdef' from 2)", "bcdef")]
    [InlineData("SELECT substring('abcdef' from 2 for 3)", "bcd")]
    [InlineData("SELECT substring('abcdef', 2, 3)", "bcd")]
    [InlineData("SELECT substring(NULL from 'a')", null)]
    [InlineData("SELECT substring('abcdef' similar 'a#\"%#\"f' escape '#')", "bcde")]
    [InlineData("SELECT substring('abcdef' similar '%#\"c_#\"%' escape '#')", "cd")]
    [InlineData("SELECT substring('xcacbx' similar '%#\"c_#\"%' escape '#')", "ca")]
    [InlineData("SELECT substring('abcdef' similar 'a%' escape '#')", "abcdef")]
    [InlineData("SELECT substring('abcdef' similar 'b%' escape '#')", null)]
    [InlineData("SELECT substring('abcdef' similar 'a#\"%' escape '#')", "bcdef")]
    [InlineData("SELECT substring('abcdef' from '%#\"d_#\"' for '#')", null)]
    [InlineData("SELECT substring('abcdef' from 'a#\"%#\"f' for '#')", "bcde")]
    [InlineData("SELECT substring('abc' similar 'abc' escape NULL)", null)]
    public async Task Substring_with_a_text_pattern_uses_regular_expressions(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT similar_to_escape('a%b_c.d(e|f)*[x-z]^$\\\\')", "^(?:a.*b.c\\.d(?:e|f)*[x-z]\\^\\$\\\\)$")]
    [InlineData("SELECT similar_to_escape('ab#\"cd#\"ef', '#')", "^(?:ab){1,1}?(cd){1,1}(?:ef)$")]
    [InlineData("SELECT similar_to_escape('a\\\\b', '')", "^(?:a\\\\\\\\b)$")]
    [InlineData("SELECT similar_to_escape('[]a]b[^]c%]d')", "^(?:[]a]b[^]c%]d)$")]
    [InlineData("SELECT similar_to_escape(NULL)", null)]
    [InlineData("SELECT similar_to_escape('a', NULL)", null)]
    public async Task Similar_to_escape_converts_sql_patterns_like_postgres(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT 'abc' SIMILAR TO 'abc'", "t")]
    [InlineData("SELECT 'abc' SIMILAR TO 'a'", "f")]
    [InlineData("SELECT 'abc' SIMILAR TO '_b_'", "t")]
    [InlineData("SELECT 'abc' SIMILAR TO '%(b|d)%'", "t")]
    [InlineData("SELECT 'abc' SIMILAR TO '(b|c)%'", "f")]
    [InlineData("SELECT 'abc' NOT SIMILAR TO 'a_c'", "f")]
    [InlineData("SELECT 'abc' NOT SIMILAR TO 'x%'", "t")]
    [InlineData("SELECT 'a.c' SIMILAR TO 'a.c'", "t")]
    [InlineData("SELECT 'abc' SIMILAR TO 'a.c'", "f")]
    [InlineData("SELECT 'aaa' SIMILAR TO 'a{2,3}'", "t")]
    [InlineData("SELECT 'aaaa' SIMILAR TO 'a{2,3}'", "f")]
    [InlineData("SELECT 'ab' SIMILAR TO 'a+b?'", "t")]
    [InlineData("SELECT 'abab' SIMILAR TO '(ab)*'", "t")]
    [InlineData("SELECT 'a%' SIMILAR TO 'a#%' ESCAPE '#'", "t")]
    [InlineData("SELECT 'ab' SIMILAR TO 'a#%' ESCAPE '#'", "f")]
    [InlineData("SELECT 'a_' SIMILAR TO 'a\\_'", "t")]
    [InlineData("SELECT 'a\\b' SIMILAR TO 'a\\b' ESCAPE ''", "t")]
    [InlineData("SELECT 'aXc' SIMILAR TO 'a[A-Z]c'", "t")]
    [InlineData("SELECT 'a^b$' SIMILAR TO 'a^b$'", "t")]
    [InlineData("SELECT '' SIMILAR TO ''", "t")]
    [InlineData("SELECT '' SIMILAR TO '%'", "t")]
    [InlineData("SELECT NULL SIMILAR TO 'a'", null)]
    [InlineData("SELECT 'a' SIMILAR TO NULL", null)]
    [InlineData("SELECT 'a' SIMILAR TO 'a' ESCAPE NULL", null)]
    [InlineData("SELECT 'ABC' SIMILAR TO 'abc'", "f")]
    [InlineData("SELECT 'a]b' SIMILAR TO 'a[]]b'", "t")]
    public async Task Similar_to_matches_the_whole_string(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT 'abc' ~ 'b'", "t")]
    [InlineData("SELECT 'abc' ~ '^b'", "f")]
    [InlineData("SELECT 'ABC' ~* 'b'", "t")]
    [InlineData("SELECT 'abc' !~ 'b'", "f")]
    [InlineData("SELECT 'ABC' !~* 'b'", "f")]
    [InlineData("SELECT 'foo bar' ~ '\\mbar\\M'", "t")]
    [InlineData("SELECT 'foobar' ~ '\\mbar'", "f")]
    [InlineData("SELECT 'x1' ~ '^[[:alpha:]][[:digit:]]$'", "t")]
    [InlineData("SELECT E'a\\nb' ~ 'a.b'", "t")]
    [InlineData("SELECT E'a\\n' ~ 'a$'", "f")]
    [InlineData("SELECT 'abc' ~ NULL", null)]
    [InlineData("SELECT 'a{' ~ 'a{'", "t")]
    public async Task Regex_operators_use_postgres_regular_expression_syntax(string sql, string? expected) =>
        Assert.Equal(expected, await Scalar(sql));

    [Theory]
    [InlineData("SELECT regexp_match('abc', '(')", "2201B", "invalid regular expression: parentheses () not balanced", null)]
    [InlineData("SELECT regexp_match('abc', 'a)')", "2201B", "invalid regular expression: parentheses () not balanced", null)]
    [InlineData("SELECT regexp_match('abc', '[a')", "2201B", "invalid regular expression: brackets [] not balanced", null)]
    [InlineData("SELECT regexp_match('abc', 'a{1')", "2201B", "invalid regular expression: braces {} not balanced", null)]
    [InlineData("SELECT regexp_match('abc', 'a{2,1}')", "2201B", "invalid regular expression: invalid repetition count(s)", null)]
    [InlineData("SELECT regexp_match('abc', 'x{256}')", "2201B", "invalid regular expression: invalid repetition count(s)", null)]
    [InlineData("SELECT regexp_match('abc', 'a{1,2,3}')", "2201B", "invalid regular expression: invalid repetition count(s)", null)]
    [InlineData("SELECT regexp_match('abc', '[z-a]')", "2201B", "invalid regular expression: invalid character range", null)]
    [InlineData("SELECT regexp_match('abc', '\\')", "2201B", "invalid regular expression: invalid escape \\ sequence", null)]
    [InlineData("SELECT regexp_match('abc', '\\q')", "2201B", "invalid regular expression: invalid escape \\ sequence", null)]
    [InlineData("SELECT regexp_match('abc', '[[:foo:]]')", "2201B", "invalid regular expression: invalid character class", null)]
    [InlineData("SELECT regexp_match('abc', '*')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', 'a**')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', 'a|*')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', '^*')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', '(?=a)*')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', '(?z)a')", "2201B", "invalid regular expression: invalid embedded option", null)]
    [InlineData("SELECT regexp_match('abc', 'a(?i)b')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', '(?<n>a)')", "2201B", "invalid regular expression: quantifier operand invalid", null)]
    [InlineData("SELECT regexp_match('abc', '\\2(a)')", "2201B", "invalid regular expression: invalid backreference number", null)]
    [InlineData("SELECT regexp_match('abc', '(a\\1)')", "2201B", "invalid regular expression: invalid backreference number", null)]
    [InlineData("SELECT regexp_match('abc', '[[.foo.]]')", "2201B", "invalid regular expression: invalid collating element", null)]
    [InlineData("SELECT regexp_match('abc', 'b', 'g')", "22023", "regexp_match() does not support the \"global\" option", "Use the regexp_matches function instead.")]
    [InlineData("SELECT regexp_match('abc', 'b', 'z')", "22023", "invalid regular expression option: \"z\"", null)]
    [InlineData("SELECT regexp_replace('abc', 'b', 'x', 'gz')", "22023", "invalid regular expression option: \"z\"", null)]
    [InlineData("SELECT regexp_replace('abc', 'b', 'x', 0)", "22023", "invalid value for parameter \"start\": 0", null)]
    [InlineData("SELECT regexp_replace('abc', 'b', 'x', 1, -1)", "22023", "invalid value for parameter \"n\": -1", null)]
    [InlineData("SELECT regexp_split_to_array('abc', 'b', 'g')", "22023", "regexp_split_to_array() does not support the \"global\" option", null)]
    [InlineData("SELECT regexp_count('abc', 'b', 0)", "22023", "invalid value for parameter \"start\": 0", null)]
    [InlineData("SELECT regexp_count('abc', 'b', 1, 'g')", "22023", "regexp_count() does not support the \"global\" option", null)]
    [InlineData("SELECT regexp_instr('abc', 'b', 1, 0)", "22023", "invalid value for parameter \"n\": 0", null)]
    [InlineData("SELECT regexp_instr('abc', 'b', 1, 1, 2)", "22023", "invalid value for parameter \"endoption\": 2", null)]
    [InlineData("SELECT regexp_instr('abc', 'b', 1, 1, 0, '', -1)", "22023", "invalid value for parameter \"subexpr\": -1", null)]
    [InlineData("SELECT regexp_instr('abc', 'b', 1, 1, 0, 'g')", "22023", "regexp_instr() does not support the \"global\" option", null)]
    [InlineData("SELECT regexp_substr('abc', 'b', 1, 1, 'g')", "22023", "regexp_substr() does not support the \"global\" option", null)]
    [InlineData("SELECT regexp_substr('abc', 'b', -1)", "22023", "invalid value for parameter \"start\": -1", null)]
    [InlineData("SELECT regexp_like('a', 'a', 'g')", "22023", "regexp_like() does not support the \"global\" option", null)]
    [InlineData("SELECT similar_to_escape('a', 'xy')", "22025", "invalid escape string", "Escape string must be empty or one character.")]
    [InlineData("SELECT 'a' SIMILAR TO 'a' ESCAPE 'xy'", "22025", "invalid escape string", "Escape string must be empty or one character.")]
    [InlineData("SELECT substring('a#\"b#\"c#\"d' similar 'a#\"%#\"c#\"d' escape '#')", "2200C", "SQL regular expression may not contain more than two escape-double-quote separators", null)]
    [InlineData("SELECT 'abc' ~ '('", "2201B", "invalid regular expression: parentheses () not balanced", null)]
    [InlineData("SELECT 'abc' SIMILAR TO '(a'", "2201B", "invalid regular expression: parentheses () not balanced", null)]
    [InlineData("SELECT 1 SIMILAR TO 'a'", "42883", "operator does not exist: integer ~ text", "No operator matches the given name and argument types. You might need to add explicit type casts.")]
    [InlineData("SELECT regexp_match(1, 'a')", "42883", "function regexp_match(integer, unknown) does not exist", "No function matches the given name and argument types. You might need to add explicit type casts.")]
    [InlineData("SELECT regexp_count('a', 'a', 1::bigint)", "42883", "function regexp_count(unknown, unknown, bigint) does not exist", "No function matches the given name and argument types. You might need to add explicit type casts.")]
    [InlineData("SELECT regexp_replace('a', 'a')", "42883", "function regexp_replace(unknown, unknown) does not exist", "No function matches the given name and argument types. You might need to add explicit type casts.")]
    public async Task Errors_match_postgres(string sql, string sqlState, string message, string? hint)
    {
        var error = await fixture.Db.ErrorAsync(sql);
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(message, error.Message);
        Assert.Equal(hint, error.Hint);
    }

    [Fact]
    public async Task Result_types_and_column_names_follow_postgres()
    {
        const string sql = "SELECT regexp_match('a','a'), regexp_count('a','a'), regexp_like('a','a'), regexp_instr('a','a'), regexp_substr('a','a'), regexp_replace('a','a','b'), regexp_split_to_array('a','a'), substring('a' from 'a'), 'a' similar to 'a', similar_to_escape('a')";
        var columns = fixture.Db.Session.Prepare(sql).Columns;
        Assert.Equal(["regexp_match", "regexp_count", "regexp_like", "regexp_instr", "regexp_substr", "regexp_replace", "regexp_split_to_array", "substring", "?column?", "similar_to_escape"], columns.Select(c => c.Name));
        var textArray = SqlType.ArrayOf(SqlType.Text);
        Assert.Equal([textArray, SqlType.Int4, SqlType.Boolean, SqlType.Int4, SqlType.Text, SqlType.Text, textArray, SqlType.Text, SqlType.Boolean, SqlType.Text], columns.Select(c => c.Type));
        Assert.Equal("{a}|1|t|1|a|b|{\"\",\"\"}|a|t|^(?:a)$", Assert.Single(await fixture.Db.LinesAsync(sql)));
    }

    [Fact]
    public async Task Patterns_and_values_can_vary_per_row()
    {
        var lines = await fixture.Db.LinesAsync("SELECT regexp_replace(v, '(\\d+)', '<\\1>', 'g'), v ~ p, regexp_count(v, p) FROM (VALUES ('a1b333', '\\d'), ('b22', 'b'), (NULL, 'x'), ('zz', '(z)\\1')) t(v, p)");
        Assert.Equal(["a<1>b<333>|t|4", "b<22>|t|1", "NULL|NULL|NULL", "zz|t|1"], lines);
    }
}
