using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace LumaDB.Query.Sql.Parser;

/// <summary>
/// PostgreSQL's keyword categories (from the keyword appendix of its documentation). The category decides
/// where a word may still serve as a name: reserved words never, type/function-name words only as function
/// or type names, column-name words not as function or type names.
/// </summary>
public static class SqlKeywords
{
    private static readonly FrozenSet<string> ReservedWords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
        "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
        "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
        "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
        "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
        "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning", "select",
        "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true", "union",
        "unique", "user", "using", "variadic", "when", "where", "window", "with",
    ]);

    private static readonly FrozenSet<string> TypeOrFunctionNameWords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze", "full",
        "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull", "outer", "overlaps",
        "right", "similar", "tablesample", "verbose",
    ]);

    private static readonly FrozenSet<string> ColumnNameWords = FrozenSet.Create(StringComparer.Ordinal,
    [
        "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec", "decimal", "exists",
        "extract", "float", "greatest", "grouping", "inout", "int", "integer", "interval", "least", "national",
        "nchar", "none", "normalize", "nullif", "numeric", "out", "overlay", "position", "precision", "real",
        "row", "setof", "smallint", "substring", "time", "timestamp", "treat", "trim", "values", "varchar",
    ]);

    // Every word the parser treats specially, so the lexer can hand out one shared string per keyword.
    private static readonly FrozenSet<string> AllKeywords = FrozenSet.Create(StringComparer.Ordinal,
    [
        .. ReservedWords, .. TypeOrFunctionNameWords, .. ColumnNameWords,
        "abort", "action", "add", "admin", "after", "alter", "always", "asymmetric", "at", "begin", "by", "cascade",
        "cascaded", "chain", "characteristics", "commit", "committed", "conflict", "connection", "constraint",
        "continue", "copy", "csv", "cube", "current", "cycle", "data", "day", "deallocate", "default", "deferred",
        "delete", "delimiter", "discard", "double", "drop", "each", "encoding", "escape", "exclude", "execute",
        "explain", "filter", "first", "following", "force", "format", "generated", "global", "granted", "groups",
        "header", "hour", "identity", "if", "include", "index", "insert", "isolation", "key", "last", "level",
        "local", "locked", "login", "match", "materialized", "minute", "month", "names", "next", "no", "nologin",
        "nothing", "nowait", "nulls", "of", "only", "option", "ordinality", "others", "over", "overriding",
        "partition", "password", "plans", "preceding", "prepare", "privileges", "range", "read", "recursive",
        "release", "rename", "repeatable", "replace", "reset", "restart", "restrict", "revoke", "role", "rollback",
        "rollup", "rows", "savepoint", "schema", "second", "sequence", "serializable", "session", "set", "sets",
        "share", "show", "skip", "start", "stdin", "stdout", "stored", "superuser", "ties", "transaction",
        "truncate", "type", "unbounded", "uncommitted", "unknown", "unlogged", "update", "valid", "value",
        "varying", "view", "within", "without", "work", "write", "year", "zone", "temp", "temporary",
    ]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KeywordLookup = AllKeywords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The shared string for a lower-case keyword spelled by <paramref name="word"/>, so callers need not allocate one.</summary>
    public static bool TryGetKeyword(ReadOnlySpan<char> word, [NotNullWhen(true)] out string? keyword) => KeywordLookup.TryGetValue(word, out keyword);

    /// <summary>True for reserved keywords, which are never names unless quoted.</summary>
    public static bool IsReserved(string word) => ReservedWords.Contains(word);

    /// <summary>True for keywords allowed only as function or type names.</summary>
    public static bool IsTypeOrFunctionName(string word) => TypeOrFunctionNameWords.Contains(word);

    /// <summary>True for keywords allowed as column names but not as function or type names.</summary>
    public static bool IsColumnName(string word) => ColumnNameWords.Contains(word);

    /// <summary>True when an unquoted <paramref name="word"/> may name a column, table or alias.</summary>
    public static bool CanBeName(string word) => !ReservedWords.Contains(word) && !TypeOrFunctionNameWords.Contains(word);

    /// <summary>True when <paramref name="word"/> must be double-quoted to be read back as the same identifier.</summary>
    public static bool RequiresQuotes(string word)
    {
        if (word.Length == 0 || ReservedWords.Contains(word) || TypeOrFunctionNameWords.Contains(word) || ColumnNameWords.Contains(word))
        {
            return true;
        }

        if (!(char.IsAsciiLetterLower(word[0]) || word[0] == '_' || word[0] >= 0x80))
        {
            return true;
        }

        foreach (var c in word)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || c == '$' || c >= 0x80))
            {
                return true;
            }
        }

        return false;
    }
}
