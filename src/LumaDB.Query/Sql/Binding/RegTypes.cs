using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Which catalog an object-identifier alias type (<c>regclass</c>, <c>regtype</c>, ...) names objects of.</summary>
public enum RegKind
{
    /// <summary>regclass: relations.</summary>
    Class,

    /// <summary>regtype: types.</summary>
    Type,

    /// <summary>regproc and regprocedure: functions.</summary>
    Proc,

    /// <summary>regnamespace: schemas.</summary>
    Namespace,

    /// <summary>regrole: roles.</summary>
    Role,
}

/// <summary>
/// The object-identifier alias types. LumaDB has no separate OID types: a cast from text looks the name up
/// and yields the integer OID, a cast from an integer yields the object's name as text, which covers how
/// tools use them (<c>'t'::regclass</c> to find a table, <c>atttypid::regtype</c> to print a type).
/// </summary>
public static class RegTypes
{
    /// <summary>The alias kind a type name denotes, or null.</summary>
    public static RegKind? KindOf(string name) => name switch
    {
        "regclass" => RegKind.Class,
        "regtype" => RegKind.Type,
        "regproc" or "regprocedure" => RegKind.Proc,
        "regnamespace" => RegKind.Namespace,
        "regrole" => RegKind.Role,
        _ => null,
    };

    /// <summary>True when <paramref name="type"/> is an OID alias type (not an array of one).</summary>
    public static bool IsRegType(TypeName type) => !type.IsArray && KindOf(type.Name.Name) is not null;
}
