namespace LumaDB.Query.Sql.Binding;

/// <summary>The built-in scalar functions the binder resolves calls to.</summary>
public enum ScalarFunction
{
#pragma warning disable CS1591 // Each member is the SQL function of the same name.
    Abs,
    Round,
    RoundTo,
    Ceil,
    Floor,
    Sqrt,
    Power,
    Mod,
    Length,
    Lower,
    Upper,
    Substr,
    Replace,
    Concat,
    Left,
    Right,
    Btrim,
    Ltrim,
    Rtrim,
    Strpos,
    Now,
    CurrentDate,
    LocalTimestamp,
    DateTrunc,
    DateBin,
    DatePart,
    Extract,
    ToTimestamp,
    MakeInterval,
    Coalesce,
    NullIf,
    Greatest,
    Least,

    // Session and catalog information (SqlBinder.Catalog.cs, ExpressionEvaluator.Catalog.cs).
    Version,
    CurrentDatabase,
    CurrentSchema,
    CurrentSetting,
    PgSleep,
    PgTableIsVisible,
    PgGetUserById,
    RegexMatch,
#pragma warning restore CS1591
}
