using System.Globalization;
using System.Text;
using LumaDB.Query.Sql.Parser;

namespace LumaDB.Query.Sql.Syntax;

/// <summary>
/// Prints a syntax tree back to PostgreSQL-dialect SQL (for EXPLAIN output and stored view definitions).
/// Parentheses are added only where precedence needs them, and the output parses back to an equal tree.
/// </summary>
public sealed partial class SqlFormatter
{
    private readonly StringBuilder _out = new();

    private SqlFormatter()
    {
    }

    /// <summary>Formats a statement, query, expression, type name or other node as SQL text.</summary>
    public static string Format(SyntaxNode node)
    {
        var formatter = new SqlFormatter();
        formatter.WriteNode(node);
        return formatter._out.ToString();
    }

    /// <summary>Formats each statement of a script, separated by <c>;\n</c>.</summary>
    public static string Format(SqlScript script) => string.Join(";\n", script.Statements.Select(s => Format(s)));

    /// <summary>Double-quotes <paramref name="name"/> when it would otherwise read back differently (upper case, keyword, special characters).</summary>
    public static string QuoteIdentifier(string name) =>
        SqlKeywords.RequiresQuotes(name) ? "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : name;

    /// <summary>Writes <paramref name="value"/> as a standard-conforming string constant.</summary>
    public static string QuoteString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private void WriteNode(SyntaxNode node)
    {
        switch (node)
        {
            case Statement statement:
                WriteStatement(statement);
                break;
            case QueryExpression query:
                WriteQuery(query);
                break;
            case QueryBody body:
                WriteBody(body);
                break;
            case Expression expression:
                WriteExpression(expression);
                break;
            case TypeName type:
                WriteType(type);
                break;
            case TableReference table:
                WriteTableReference(table);
                break;
            case QualifiedName name:
                WriteName(name);
                break;
            case SelectItem item:
                WriteSelectItem(item);
                break;
            case OrderByItem order:
                WriteOrderByItem(order);
                break;
            case ColumnDefinition column:
                WriteColumnDefinition(column);
                break;
            default:
                throw new ArgumentException("No SQL form for " + node.GetType().Name, nameof(node));
        }
    }

    private void Write(string text) => _out.Append(text);

    private void WriteIdent(string name) => _out.Append(QuoteIdentifier(name));

    private void WriteName(QualifiedName name)
    {
        for (var i = 0; i < name.Parts.Count; i++)
        {
            if (i > 0)
            {
                _out.Append('.');
            }

            WriteIdent(name.Parts[i]);
        }
    }

    private void WriteList<T>(IReadOnlyList<T> items, Action<T> writeItem, string separator = ", ")
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                _out.Append(separator);
            }

            writeItem(items[i]);
        }
    }

    private void WriteNames(IReadOnlyList<string> names)
    {
        _out.Append('(');
        WriteList(names, WriteIdent);
        _out.Append(')');
    }

    private void WriteInt(long value) => _out.Append(value.ToString(CultureInfo.InvariantCulture));

    private void WriteType(TypeName type)
    {
        var name = type.Name;
        var zoned = false;
        if (name.Parts.Count == 1 && name.Name is "interval" or "time" or "timestamp" or "numeric" or "bit" or "varchar")
        {
            Write(name.Name);
        }
        else if (name.Parts.Count == 1 && !type.Modifiers.IsEmpty && name.Name is "bpchar" or "varbit" or "timestamptz" or "timetz")
        {
            // With a length or precision these need their keyword spelling; "bpchar(3)" would read back as a call.
            Write(name.Name switch
            {
                "bpchar" => "char",
                "varbit" => "bit varying",
                "timestamptz" => "timestamp",
                _ => "time",
            });
            zoned = name.Name is "timestamptz" or "timetz";
        }
        else
        {
            WriteName(name);
        }

        if (type.IntervalFields is not null)
        {
            Write(" " + type.IntervalFields);
        }

        if (!type.Modifiers.IsEmpty)
        {
            _out.Append('(');
            WriteList(type.Modifiers, m => WriteInt(m));
            _out.Append(')');
        }

        if (zoned)
        {
            Write(" with time zone");
        }

        foreach (var bound in type.ArrayBounds)
        {
            _out.Append('[');
            if (bound >= 0)
            {
                WriteInt(bound);
            }

            _out.Append(']');
        }
    }

    private void WriteOptions(SyntaxList<SqlOption> options, bool withEquals)
    {
        _out.Append('(');
        WriteList(options, option =>
        {
            Write(IsPlainOptionName(option.Name) ? option.Name : QuoteIdentifier(option.Name));
            if (option.Value is not null)
            {
                Write(withEquals ? " = " : " ");
                WriteExpression(option.Value);
            }
        });
        _out.Append(')');
    }

    private static bool IsPlainOptionName(string name) =>
        name.Length > 0 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.');

    private static string DropBehaviorText(DropBehavior behavior) => behavior switch
    {
        DropBehavior.Cascade => " CASCADE",
        DropBehavior.Restrict => " RESTRICT",
        _ => string.Empty,
    };
}
