using System.Globalization;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>Names PostgreSQL gives objects the statement leaves unnamed (constraints, indexes, owned sequences).</summary>
internal static class ObjectNames
{
    /// <summary><paramref name="stem"/>, or the stem with 1, 2... appended while <paramref name="taken"/> says the name is in use.</summary>
    public static string Choose(string stem, Func<string, bool> taken)
    {
        var name = stem;
        for (var n = 1; taken(name); n++)
        {
            name = stem + n.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }
}
