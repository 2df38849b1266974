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
        "set_config" when args.Length == 3 => Fixed(ScalarFunction.SetConfig, name, args, SqlType.Text, [SqlType.Text, SqlType.Text, SqlType.Boolean]),
        "pg_sleep" => Fixed(ScalarFunction.PgSleep, name, args, SqlType.Text, [SqlType.Float8]),
        "pg_table_is_visible" => Fixed(ScalarFunction.PgTableIsVisible, name, args, SqlType.Boolean, [SqlType.Int8]),
        "pg_get_userbyid" => Fixed(ScalarFunction.PgGetUserById, name, args, SqlType.Text, [SqlType.Int8]),
        "nextval" when args.Length == 1 => Fixed(ScalarFunction.NextVal, name, args, SqlType.Int8, [SequenceParameter(args[0])]),
        "currval" when args.Length == 1 => Fixed(ScalarFunction.CurrVal, name, args, SqlType.Int8, [SequenceParameter(args[0])]),
        "setval" when args.Length == 2 => Fixed(ScalarFunction.SetVal, name, args, SqlType.Int8, [SequenceParameter(args[0]), SqlType.Int8]),
        "setval" when args.Length == 3 => Fixed(ScalarFunction.SetVal, name, args, SqlType.Int8, [SequenceParameter(args[0]), SqlType.Int8, SqlType.Boolean]),
        "lastval" => Fixed(ScalarFunction.LastVal, name, args, SqlType.Int8, []),
        "random" => Fixed(ScalarFunction.Random, name, args, SqlType.Float8, []),
        "gen_random_uuid" => Fixed(ScalarFunction.GenRandomUuid, name, args, SqlType.Uuid, []),
        _ => BindPgCatalogFunction(name, args),
    };

    /// <summary>
    /// A sequence function names its sequence as text or, after a <c>::regclass</c> cast (as serial defaults
    /// write it), as the relation's OID.
    /// </summary>
    private static SqlType SequenceParameter(BoundExpression argument) =>
        argument.Type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 or SqlTypeKind.Int8 ? SqlType.Int8 : SqlType.Text;

    /// <summary>
    /// <c>~</c>, <c>~*</c>, <c>!~</c>, <c>!~*</c> on text: a function call whose third argument holds the flags
    /// (1 = case-insensitive, 2 = negated), so plan rewrites treat it like any call.
    /// </summary>
    private BoundFunction BindRegexMatch(BinaryOperator op, BoundExpression left, BoundExpression right)
    {
        var flags = op switch
        {
            BinaryOperator.RegexMatchInsensitive => 1,
            BinaryOperator.RegexNotMatch => 2,
            BinaryOperator.RegexNotMatchInsensitive => 3,
            _ => 0,
        };
        return Fixed(ScalarFunction.RegexMatch, SqlOperators.Symbol(op), [left, right, new BoundConstant(flags, SqlType.Int4)], SqlType.Boolean, [SqlType.Text, SqlType.Text, SqlType.Int4]);
    }

    private static BoundFunction? BindSessionValueFunction(SqlValueFunctionKind kind) => kind switch
    {
        SqlValueFunctionKind.CurrentUser or SqlValueFunctionKind.SessionUser or SqlValueFunctionKind.User or SqlValueFunctionKind.CurrentRole =>
            new BoundFunction(ScalarFunction.CurrentSetting, [new BoundConstant("session_authorization", SqlType.Text)], SqlType.Text),
        SqlValueFunctionKind.CurrentCatalog => new BoundFunction(ScalarFunction.CurrentDatabase, [], SqlType.Text),
        SqlValueFunctionKind.CurrentSchema => new BoundFunction(ScalarFunction.CurrentSchema, [], SqlType.Text),
        _ => null,
    };
}
