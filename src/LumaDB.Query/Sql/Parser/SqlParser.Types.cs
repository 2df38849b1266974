using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Type names, including the SQL-standard multi-word spellings.</summary>
public sealed partial class SqlParser
{
    private TypeName ParseType()
    {
        var start = StartOf;
        var modifiers = new List<int>();
        string? intervalFields = null;
        QualifiedName name;
        var word = Current.Kind == SqlTokenKind.Identifier ? Current.Text : null;
        switch (word)
        {
            case "double" when PeekKeyword(1, "precision"):
                Skip(2);
                name = Builtin("float8", start);
                break;
            case "int" or "integer":
                Advance();
                name = Builtin("int4", start);
                break;
            case "smallint":
                Advance();
                name = Builtin("int2", start);
                break;
            case "bigint":
                Advance();
                name = Builtin("int8", start);
                break;
            case "real":
                Advance();
                name = Builtin("float4", start);
                break;
            case "boolean":
                Advance();
                name = Builtin("bool", start);
                break;
            case "float":
                {
                    Advance();
                    var precision = 53;
                    if (Accept(SqlTokenKind.LeftParen))
                    {
                        var at = StartOf;
                        precision = ParseIntegerValue();
                        Expect(SqlTokenKind.RightParen);
                        if (precision is < 1 or > 53)
                        {
                            throw ErrorAt(at, precision < 1 ? "precision for type float must be at least 1 bit" : "precision for type float must be less than 54 bits");
                        }
                    }

                    name = Builtin(precision <= 24 ? "float4" : "float8", start);
                    break;
                }

            case "decimal" or "dec" or "numeric":
                Advance();
                name = Builtin("numeric", start);
                ParseTypeModifiers(modifiers);
                break;
            case "character" or "char" or "nchar" or "national":
                {
                    Advance();
                    if (word == "national")
                    {
                        if (!AcceptKeyword("character"))
                        {
                            ExpectKeyword("char");
                        }
                    }

                    var varying = AcceptKeyword("varying");
                    name = Builtin(varying ? "varchar" : "bpchar", start);
                    ParseTypeModifiers(modifiers);
                    break;
                }

            case "varchar":
                Advance();
                name = Builtin("varchar", start);
                ParseTypeModifiers(modifiers);
                break;
            case "bit":
                {
                    Advance();
                    var varying = AcceptKeyword("varying");
                    name = Builtin(varying ? "varbit" : "bit", start);
                    ParseTypeModifiers(modifiers);
                    break;
                }

            case "timestamp" or "time":
                {
                    Advance();
                    ParseTypeModifiers(modifiers);
                    var withZone = false;
                    if (AcceptKeyword("with"))
                    {
                        ExpectKeyword("time");
                        ExpectKeyword("zone");
                        withZone = true;
                    }
                    else if (AcceptKeyword("without"))
                    {
                        ExpectKeyword("time");
                        ExpectKeyword("zone");
                    }

                    name = Builtin(word + (withZone ? "tz" : string.Empty), start);
                    break;
                }

            case "interval":
                Advance();
                name = Builtin("interval", start);
                if (Accept(SqlTokenKind.LeftParen))
                {
                    modifiers.Add(ParseIntegerValue());
                    Expect(SqlTokenKind.RightParen);
                }
                else
                {
                    intervalFields = ParseIntervalFields(modifiers);
                }

                break;
            default:
                {
                    // Generic names; type/function-name keywords are allowed, reserved words are not.
                    if (Current.Kind == SqlTokenKind.Identifier && SqlKeywords.IsReserved(Current.Text))
                    {
                        Note("type name");
                        throw SyntaxError();
                    }

                    if (Current.Kind is not (SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier))
                    {
                        Note("type name");
                        throw SyntaxError();
                    }

                    var parts = new List<string> { Advance().Text };
                    while (Current.Kind == SqlTokenKind.Dot && PeekToken(1).Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
                    {
                        Advance();
                        parts.Add(ParseLabel());
                    }

                    name = new QualifiedName(SyntaxList.From(parts)) { Span = SpanFrom(start) };
                    ParseTypeModifiers(modifiers);
                    break;
                }
        }

        var bounds = new List<int>();
        while (true)
        {
            if (Accept(SqlTokenKind.LeftBracket))
            {
                bounds.Add(Current.Kind == SqlTokenKind.Integer ? ParseIntegerValue() : -1);
                Expect(SqlTokenKind.RightBracket);
            }
            else if (bounds.Count == 0 && AcceptKeyword("array"))
            {
                var bound = -1;
                if (Accept(SqlTokenKind.LeftBracket))
                {
                    bound = ParseIntegerValue();
                    Expect(SqlTokenKind.RightBracket);
                }

                bounds.Add(bound);
                break;
            }
            else
            {
                break;
            }
        }

        return new TypeName(name, SyntaxList.From(modifiers), SyntaxList.From(bounds), intervalFields) { Span = SpanFrom(start) };
    }

    private QualifiedName Builtin(string name, int start) => new([name]) { Span = SpanFrom(start) };

    private void ParseTypeModifiers(List<int> modifiers)
    {
        if (!Accept(SqlTokenKind.LeftParen))
        {
            return;
        }

        modifiers.Add(ParseIntegerValue());
        while (Accept(SqlTokenKind.Comma))
        {
            modifiers.Add(ParseIntegerValue());
        }

        Expect(SqlTokenKind.RightParen);
    }

    /// <summary>The optional field restriction after INTERVAL, e.g. <c>DAY TO SECOND(3)</c>; the precision goes to <paramref name="modifiers"/>.</summary>
    private string? ParseIntervalFields(List<int> modifiers)
    {
        string? first = Current.Kind == SqlTokenKind.Identifier ? Current.Text : null;
        if (first is not ("year" or "month" or "day" or "hour" or "minute" or "second"))
        {
            return null;
        }

        Advance();
        var fields = first;
        if (first != "second" && AtKeyword("to"))
        {
            var allowed = first switch
            {
                "year" => "month",
                "day" => "hour minute second",
                "hour" => "minute second",
                "minute" => "second",
                _ => string.Empty,
            };
            var second = PeekToken(1);
            if (second.Kind == SqlTokenKind.Identifier && allowed.Split(' ').Contains(second.Text))
            {
                Advance();
                Advance();
                fields = first + " to " + second.Text;
            }
            else
            {
                Advance();
                throw SyntaxError();
            }
        }

        if (fields.EndsWith("second", StringComparison.Ordinal) && Accept(SqlTokenKind.LeftParen))
        {
            modifiers.Add(ParseIntegerValue());
            Expect(SqlTokenKind.RightParen);
        }

        return fields;
    }
}
