using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>Functions that report the session and server (version(), current_database(), pg_sleep...), as clients and tools call them.</summary>
public sealed partial class SqlBinder
{
    private BoundFunction? BindCatalogFunction(string name, BoundExpression[] args) => name switch
    {
        "version" => Fixed(ScalarFunction.Version, name, args, SqlType.Text, []),
        "current_database" => Fixed(ScalarFunction.CurrentDatabase, name, args, SqlType.Text, []),
        "current_schema" => Fixed(ScalarFunction.CurrentSchema, name, args, SqlType.Text, []),
        "current_user" or "session_user" => Fixed(ScalarFunction.CurrentSetting, name, [new BoundConstant("session_authorization", SqlType.Text)], SqlType.Text, [SqlType.Text]),
        "current_setting" when args.Length == 1 => Fixed(ScalarFunction.CurrentSetting, name, args, SqlType.Text, [SqlType.Text]),
        "pg_sleep" => Fixed(ScalarFunction.PgSleep, name, args, SqlType.Text, [SqlType.Float8]),
        _ => null,
    };

    private static BoundFunction? BindSessionValueFunction(SqlValueFunctionKind kind) => kind switch
    {
        SqlValueFunctionKind.CurrentUser or SqlValueFunctionKind.SessionUser or SqlValueFunctionKind.User or SqlValueFunctionKind.CurrentRole =>
            new BoundFunction(ScalarFunction.CurrentSetting, [new BoundConstant("session_authorization", SqlType.Text)], SqlType.Text),
        SqlValueFunctionKind.CurrentCatalog => new BoundFunction(ScalarFunction.CurrentDatabase, [], SqlType.Text),
        SqlValueFunctionKind.CurrentSchema => new BoundFunction(ScalarFunction.CurrentSchema, [], SqlType.Text),
        _ => null,
    };
}
