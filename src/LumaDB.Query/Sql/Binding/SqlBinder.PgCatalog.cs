using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>The OID alias casts and the pg_catalog functions psql, drivers and GUI tools call to describe objects.</summary>
public sealed partial class SqlBinder
{
    private BoundFunction BindRegCast(BoundExpression operand, TypeName type)
    {
        var kind = new BoundConstant((int)RegTypes.KindOf(type.Name.Name)!.Value, SqlType.Int4);
        if (operand.Type.Category is SqlTypeCategory.String or SqlTypeCategory.Unknown)
        {
            return new BoundFunction(ScalarFunction.RegLookup, [Coerce(operand, SqlType.Text), kind], SqlType.Int4);
        }

        if (operand.Type.IsInteger)
        {
            return new BoundFunction(ScalarFunction.RegName, [Coerce(operand, SqlType.Int8), kind], SqlType.Text);
        }

        throw new SqlException(SqlState.CannotCoerce, $"cannot cast type {operand.Type.DisplayName} to {type.Name.Name}");
    }

    private BoundFunction? BindPgCatalogFunction(string name, BoundExpression[] args)
    {
        switch (name)
        {
            case "format_type":
                return Fixed(ScalarFunction.FormatType, name, args, SqlType.Text, [SqlType.Int8, SqlType.Int4]);
            case "pg_get_expr":
                return Fixed(ScalarFunction.PgGetExpr, name, args, SqlType.Text, args.Length == 3 ? [SqlType.Text, SqlType.Int8, SqlType.Boolean] : [SqlType.Text, SqlType.Int8]);
            case "pg_get_indexdef":
                return Fixed(ScalarFunction.PgGetIndexDef, name, args, SqlType.Text, args.Length == 3 ? [SqlType.Int8, SqlType.Int4, SqlType.Boolean] : [SqlType.Int8]);
            case "pg_get_constraintdef":
                return Fixed(ScalarFunction.PgGetConstraintDef, name, args, SqlType.Text, args.Length == 2 ? [SqlType.Int8, SqlType.Boolean] : [SqlType.Int8]);
            case "pg_get_viewdef":
                return Fixed(ScalarFunction.PgGetViewDef, name, args, SqlType.Text, args.Length == 2 ? [SqlType.Int8, SqlType.Boolean] : [SqlType.Int8]);
            case "pg_get_serial_sequence":
                return Fixed(ScalarFunction.PgGetSerialSequence, name, args, SqlType.Text, [SqlType.Text, SqlType.Text]);
            case "pg_encoding_to_char":
                return Fixed(ScalarFunction.PgEncodingToChar, name, args, SqlType.Text, [SqlType.Int4]);
            case "pg_table_size" or "pg_relation_size" or "pg_total_relation_size" or "pg_indexes_size":
                return Fixed(ScalarFunction.PgRelationSize, name, args.Take(1).ToArray(), SqlType.Int8, [SqlType.Int8]);
            case "pg_size_pretty":
                return args.Length == 1 && args[0].Type.Kind == SqlTypeKind.Numeric
                    ? new BoundFunction(ScalarFunction.PgSizePretty, [args[0]], SqlType.Text)
                    : Fixed(ScalarFunction.PgSizePretty, name, args, SqlType.Text, [SqlType.Int8]);
            case "pg_function_is_visible" or "pg_type_is_visible" or "pg_opclass_is_visible" or "pg_operator_is_visible"
                or "pg_collation_is_visible" or "pg_conversion_is_visible" or "pg_statistics_obj_is_visible" or "pg_ts_config_is_visible":
                return Fixed(ScalarFunction.ObjectIsVisible, name, args, SqlType.Boolean, [SqlType.Int8]);
            case "obj_description" or "shobj_description":
                return Fixed(ScalarFunction.ObjectDescription, name, args, SqlType.Text, args.Length == 2 ? [SqlType.Int8, SqlType.Text] : [SqlType.Int8]);
            case "col_description":
                return Fixed(ScalarFunction.ObjectDescription, name, args, SqlType.Text, [SqlType.Int8, SqlType.Int4]);
            case "pg_get_function_result":
                return Fixed(ScalarFunction.PgGetFunctionResult, name, args, SqlType.Text, [SqlType.Int8]);
            case "pg_get_function_arguments" or "pg_get_function_identity_arguments":
                return Fixed(ScalarFunction.PgGetFunctionArguments, name, args, SqlType.Text, [SqlType.Int8]);
            case "pg_relation_is_publishable":
                return Fixed(ScalarFunction.ObjectIsVisible, name, args, SqlType.Boolean, [SqlType.Int8]) with { Function = ScalarFunction.RelationIsPublishable };
            case "pg_get_ruledef" or "pg_get_triggerdef":
                // Views are not stored as rules and there are no triggers, so no OID has a definition.
                return Fixed(ScalarFunction.ObjectDescription, name, args, SqlType.Text, args.Length == 2 ? [SqlType.Int8, SqlType.Boolean] : [SqlType.Int8]);
            case "pg_get_statisticsobjdef_columns":
                return Fixed(ScalarFunction.ObjectDescription, name, args, SqlType.Text, [SqlType.Int8]);
            default:
                return null;
        }
    }
}
