using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>CREATE/ALTER SEQUENCE and the options identity columns share with them.</summary>
public sealed partial class SqlParser
{
    private CreateSequenceStatement ParseCreateSequence(int start)
    {
        var ifNotExists = AcceptIfNotExists();
        var name = ParseQualifiedName();
        return new CreateSequenceStatement(name, ifNotExists, SyntaxList.From(ParseSequenceOptions(alter: false))) { Span = SpanFrom(start) };
    }

    private AlterSequenceStatement ParseAlterSequence(int start)
    {
        var ifExists = AcceptIfExists();
        var name = ParseQualifiedName();
        if (AcceptKeywords("rename", "to"))
        {
            return new AlterSequenceStatement(name, ifExists, SyntaxList.From(new List<SequenceOption>()), ParseName()) { Span = SpanFrom(start) };
        }

        var options = ParseSequenceOptions(alter: true);
        if (options.Count == 0)
        {
            throw SyntaxError();
        }

        return new AlterSequenceStatement(name, ifExists, SyntaxList.From(options)) { Span = SpanFrom(start) };
    }

    /// <summary>Sequence options until none follows; RESTART only where <paramref name="alter"/>.</summary>
    private List<SequenceOption> ParseSequenceOptions(bool alter)
    {
        var options = new List<SequenceOption>();
        while (true)
        {
            var start = StartOf;
            SequenceOption option;
            if (AcceptKeyword("as"))
            {
                option = new SequenceOption(SequenceOptionKind.As, Type: ParseType());
            }
            else if (AcceptKeyword("increment"))
            {
                AcceptKeyword("by");
                option = new SequenceOption(SequenceOptionKind.Increment, ParseSequenceNumber());
            }
            else if (AcceptKeyword("minvalue"))
            {
                option = new SequenceOption(SequenceOptionKind.MinValue, ParseSequenceNumber());
            }
            else if (AcceptKeyword("maxvalue"))
            {
                option = new SequenceOption(SequenceOptionKind.MaxValue, ParseSequenceNumber());
            }
            else if (AcceptKeywords("no", "minvalue"))
            {
                option = new SequenceOption(SequenceOptionKind.MinValue);
            }
            else if (AcceptKeywords("no", "maxvalue"))
            {
                option = new SequenceOption(SequenceOptionKind.MaxValue);
            }
            else if (AcceptKeywords("no", "cycle"))
            {
                option = new SequenceOption(SequenceOptionKind.Cycle, 0);
            }
            else if (AcceptKeyword("cycle"))
            {
                option = new SequenceOption(SequenceOptionKind.Cycle, 1);
            }
            else if (AcceptKeyword("start"))
            {
                AcceptKeyword("with");
                option = new SequenceOption(SequenceOptionKind.Start, ParseSequenceNumber());
            }
            else if (alter && AcceptKeyword("restart"))
            {
                var with = AcceptKeyword("with");
                option = new SequenceOption(SequenceOptionKind.Restart, with || AtSequenceNumber() ? ParseSequenceNumber() : null);
            }
            else if (AcceptKeyword("cache"))
            {
                option = new SequenceOption(SequenceOptionKind.Cache, ParseSequenceNumber());
            }
            else if (!alter && AcceptKeywords("sequence", "name"))
            {
                option = new SequenceOption(SequenceOptionKind.SequenceName, Owner: ParseQualifiedName());
            }
            else if (AcceptKeywords("owned", "by"))
            {
                option = AcceptKeyword("none") ? new SequenceOption(SequenceOptionKind.OwnedBy) : new SequenceOption(SequenceOptionKind.OwnedBy, Owner: ParseQualifiedName());
            }
            else
            {
                return options;
            }

            options.Add(option with { Span = SpanFrom(start) });
        }
    }

    private bool AtSequenceNumber() => Current.Kind == SqlTokenKind.Integer || (Current.IsOperator("-") && PeekToken(1).Kind == SqlTokenKind.Integer);

    private long ParseSequenceNumber()
    {
        var negative = AcceptOperator("-");
        if (!negative)
        {
            AcceptOperator("+");
        }

        var token = Expect(SqlTokenKind.Integer);
        if (!SqlLexer.TryParseInteger(token.Text, out var value))
        {
            // long.MinValue has no positive twin.
            if (negative && token.Text == "9223372036854775808")
            {
                return long.MinValue;
            }

            throw ErrorAt(token.Start, "value \"" + token.Text + "\" is out of range for type bigint");
        }

        return negative ? -value : value;
    }
}
