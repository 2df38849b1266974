using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// The options of one COPY, checked as PostgreSQL 15 checks them: format, delimiter, NULL string, header,
/// and the CSV-only quote, escape and FORCE_* options.
/// </summary>
public sealed class CopyOptions
{
    /// <summary>The data format.</summary>
    public CopyFormat Format { get; private set; } = CopyFormat.Text;

    /// <summary>The column delimiter (one character).</summary>
    public char Delimiter { get; private set; } = '\t';

    /// <summary>The string that stands for NULL.</summary>
    public string Null { get; private set; } = "\\N";

    /// <summary>True when the data has (or gets) a header line.</summary>
    public bool Header { get; private set; }

    /// <summary>COPY FROM with HEADER MATCH: the header's names must equal the column names.</summary>
    public bool HeaderMatch { get; private set; }

    /// <summary>The CSV quote character.</summary>
    public char Quote { get; private set; } = '"';

    /// <summary>The CSV escape character (the quote unless given).</summary>
    public char Escape { get; private set; } = '"';

    /// <summary>COPY TO in CSV: per output column, true when non-NULL values are always quoted.</summary>
    public bool[] ForceQuote { get; private set; } = [];

    /// <summary>COPY FROM in CSV: per input column, true when an unquoted NULL string is read as itself, not NULL.</summary>
    public bool[] ForceNotNull { get; private set; } = [];

    /// <summary>COPY FROM in CSV: per input column, true when a quoted NULL string is read as NULL too.</summary>
    public bool[] ForceNull { get; private set; } = [];

    /// <summary>True when the values travel in the binary format.</summary>
    public bool IsBinary => Format == CopyFormat.Binary;

    /// <summary>Reads and checks the options of <paramref name="copy"/> for the given data columns.</summary>
    /// <exception cref="SqlException">An unknown, repeated or conflicting option, or a bad value.</exception>
    public static CopyOptions From(CopyStatement copy, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(columns);
        var options = new CopyOptions();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? delimiter = null, nullText = null, quote = null, escape = null;
        Expression? forceQuote = null, forceNotNull = null, forceNull = null;
        foreach (var option in copy.Options)
        {
            if (!seen.Add(option.Name))
            {
                throw new SqlException(SqlState.SyntaxError, "conflicting or redundant options");
            }

            switch (option.Name)
            {
                case "format":
                    options.Format = Text(option) switch
                    {
                        "text" => CopyFormat.Text,
                        "csv" => CopyFormat.Csv,
                        "binary" => CopyFormat.Binary,
                        var other => throw new SqlException(SqlState.InvalidParameterValue, $"COPY format \"{other}\" not recognized"),
                    };
                    break;
                case "delimiter":
                    delimiter = Text(option);
                    break;
                case "null":
                    nullText = Text(option);
                    break;
                case "header":
                    if (option.Value is StringLiteral { Value: var word } && word.Equals("match", StringComparison.OrdinalIgnoreCase))
                    {
                        if (!copy.IsFrom)
                        {
                            throw new SqlException(SqlState.FeatureNotSupported, "cannot use \"match\" with HEADER in COPY TO");
                        }

                        options.Header = options.HeaderMatch = true;
                    }
                    else
                    {
                        options.Header = Boolean(option);
                    }

                    break;
                case "quote":
                    quote = Text(option);
                    break;
                case "escape":
                    escape = Text(option);
                    break;
                case "force_quote":
                    forceQuote = option.Value ?? throw Requires(option);
                    break;
                case "force_not_null":
                    forceNotNull = option.Value ?? throw Requires(option);
                    break;
                case "force_null":
                    forceNull = option.Value ?? throw Requires(option);
                    break;
                case "encoding":
                    if (Text(option).Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant() is not ("UTF8" or "UNICODE" or "SQLASCII"))
                    {
                        throw new SqlException(SqlState.InvalidParameterValue, "argument to option \"encoding\" must be a valid encoding name");
                    }

                    break;
                case "freeze":
                    _ = Boolean(option);
                    break;
                default:
                    throw new SqlException(SqlState.SyntaxError, $"option \"{option.Name}\" not recognized");
            }
        }

        var csv = options.Format == CopyFormat.Csv;
        if (options.IsBinary)
        {
            if (delimiter is not null)
            {
                throw new SqlException(SqlState.SyntaxError, "cannot specify DELIMITER in BINARY mode");
            }

            if (nullText is not null)
            {
                throw new SqlException(SqlState.SyntaxError, "cannot specify NULL in BINARY mode");
            }

            if (options.Header)
            {
                throw new SqlException(SqlState.FeatureNotSupported, "cannot specify HEADER in BINARY mode");
            }
        }

        options.Delimiter = delimiter is null ? (csv ? ',' : '\t') : Single(delimiter, "COPY delimiter must be a single one-byte character");
        options.Null = nullText ?? (csv ? string.Empty : "\\N");
        if (options.Delimiter is '\r' or '\n')
        {
            throw new SqlException(SqlState.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return");
        }

        if (options.Null.Contains('\r', StringComparison.Ordinal) || options.Null.Contains('\n', StringComparison.Ordinal))
        {
            throw new SqlException(SqlState.InvalidParameterValue, "COPY null representation cannot use newline or carriage return");
        }

        if (!csv && options.Format == CopyFormat.Text && (options.Delimiter == '\\' || "abcdefghijklmnopqrstuvwxyz0123456789.".Contains(char.ToLowerInvariant(options.Delimiter), StringComparison.Ordinal)))
        {
            throw new SqlException(SqlState.InvalidParameterValue, $"COPY delimiter cannot be \"{options.Delimiter}\"");
        }

        if (!csv && (quote is not null || escape is not null))
        {
            throw new SqlException(SqlState.FeatureNotSupported, quote is not null ? "COPY quote available only in CSV mode" : "COPY escape available only in CSV mode");
        }

        if (csv)
        {
            options.Quote = quote is null ? '"' : Single(quote, "COPY quote must be a single one-byte character");
            options.Escape = escape is null ? options.Quote : Single(escape, "COPY escape must be a single one-byte character");
            if (options.Delimiter == options.Quote)
            {
                throw new SqlException(SqlState.InvalidParameterValue, "COPY delimiter and quote must be different");
            }

            if (options.Null.Contains(options.Delimiter, StringComparison.Ordinal))
            {
                throw new SqlException(SqlState.InvalidParameterValue, "COPY delimiter must not appear in the NULL specification");
            }

            if (options.Null.Contains(options.Quote, StringComparison.Ordinal))
            {
                throw new SqlException(SqlState.InvalidParameterValue, "CSV quote character must not appear in the NULL specification");
            }
        }

        if (forceQuote is not null)
        {
            if (!csv)
            {
                throw new SqlException(SqlState.FeatureNotSupported, "COPY force quote available only in CSV mode");
            }

            if (copy.IsFrom)
            {
                throw new SqlException(SqlState.FeatureNotSupported, "COPY force quote only available using COPY TO");
            }
        }

        if (forceNotNull is not null || forceNull is not null)
        {
            var name = forceNotNull is not null ? "not null" : "null";
            if (!csv)
            {
                throw new SqlException(SqlState.FeatureNotSupported, $"COPY force {name} available only in CSV mode");
            }

            if (!copy.IsFrom)
            {
                throw new SqlException(SqlState.FeatureNotSupported, $"COPY force {name} only available using COPY FROM");
            }
        }

        options.ForceQuote = Columns(forceQuote, columns, "FORCE_QUOTE");
        options.ForceNotNull = Columns(forceNotNull, columns, "FORCE_NOT_NULL");
        options.ForceNull = Columns(forceNull, columns, "FORCE_NULL");
        return options;
    }

    private static bool[] Columns(Expression? value, IReadOnlyList<string> columns, string option)
    {
        var flags = new bool[columns.Count];
        switch (value)
        {
            case null:
                break;
            case StarExpression:
                Array.Fill(flags, true);
                break;
            default:
                var names = value is RowExpression row ? row.Fields.Select(NameOf) : [NameOf(value)];
                foreach (var name in names)
                {
                    var index = columns.ToList().IndexOf(name);
                    if (index < 0)
                    {
                        throw new SqlException(SqlState.InvalidColumnReference, $"{option} column \"{name}\" not referenced by COPY");
                    }

                    flags[index] = true;
                }

                break;
        }

        return flags;
    }

    private static string NameOf(Expression value) => value switch
    {
        StringLiteral s => s.Value,
        ColumnReference c => c.Name,
        _ => throw new SqlException(SqlState.SyntaxError, "a column name list is expected"),
    };

    private static SqlException Requires(SqlOption option) =>
        new(SqlState.SyntaxError, $"argument to option \"{option.Name}\" must be a list of column names");

    private static string Text(SqlOption option) => option.Value switch
    {
        StringLiteral s => s.Value,
        IntegerLiteral i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NumericLiteral n => n.Text,
        null => throw new SqlException(SqlState.SyntaxError, $"{option.Name} requires a parameter"),
        _ => throw new SqlException(SqlState.SyntaxError, $"{option.Name} requires a string value"),
    };

    private static bool Boolean(SqlOption option) => option.Value switch
    {
        null => true,
        BooleanLiteral b => b.Value,
        IntegerLiteral { Value: 0 } => false,
        IntegerLiteral { Value: 1 } => true,
        StringLiteral s => s.Value.ToLowerInvariant() switch
        {
            "true" or "on" or "yes" or "t" or "y" => true,
            "false" or "off" or "no" or "f" or "n" => false,
            _ => throw new SqlException(SqlState.SyntaxError, $"{option.Name} requires a Boolean value"),
        },
        _ => throw new SqlException(SqlState.SyntaxError, $"{option.Name} requires a Boolean value"),
    };

    private static char Single(string text, string error) =>
        text.Length == 1 && text[0] < 128 ? text[0] : throw new SqlException(SqlState.InvalidParameterValue, error);
}
