using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class MutationTests
{
    public static TheoryData<string> Statements() => new(SampleStatements.All);

    /// <summary>Dropping, doubling or swapping tokens of a valid statement must give a parse that survives formatting, or a syntax error, never a crash.</summary>
    [Theory]
    [MemberData(nameof(Statements))]
    public void Mangled_statements_parse_or_fail_with_a_syntax_error(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql).Where(t => t.Kind != SqlTokenKind.EndOfInput).Select(t => sql.Substring(t.Start, t.Length)).ToList();
        var random = new Random(sql.Length);
        for (var i = 0; i < 60; i++)
        {
            var mutated = new List<string>(tokens);
            var at = random.Next(mutated.Count);
            switch (random.Next(3))
            {
                case 0:
                    mutated.RemoveAt(at);
                    break;
                case 1:
                    mutated.Insert(at, mutated[random.Next(mutated.Count)]);
                    break;
                default:
                    var other = random.Next(mutated.Count);
                    (mutated[at], mutated[other]) = (mutated[other], mutated[at]);
                    break;
            }

            var text = string.Join(' ', mutated);
            if (!SqlParser.TryParseScript(text, out var script, out var error))
            {
                Assert.InRange(error.Position, 1, text.Length + 1);
                continue;
            }

            // Whatever parses must also survive the round trip through the formatter.
            var formatted = SqlFormatter.Format(script);
            Assert.True(SqlParser.TryParseScript(formatted, out var reparsed, out var reparseError), $"{text}\n=> {formatted}\n{reparseError?.Message}");
            Assert.True(script.Statements.Equals(reparsed.Statements), $"{text}\n=> {formatted}");
        }
    }
}
