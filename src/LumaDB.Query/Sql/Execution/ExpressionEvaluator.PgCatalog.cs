using System.Globalization;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Kernels of the OID alias casts and the pg_catalog describe functions.</summary>
public sealed partial class ExpressionEvaluator
{
    private SystemTableContext CatalogContext => _context.Runtime?.SystemContext
        ?? throw new SqlException(SqlState.FeatureNotSupported, "catalog lookups need a database session");

    private ColumnVector? PgCatalogFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        var type = call.Type;
        switch (call.Function)
        {
            case ScalarFunction.RegLookup:
                return Strict(args, type, rowCount, row => PgCatalog.Instance.LookUpOid(CatalogContext, (string)args[0].GetValue(row)!, (RegKind)(int)args[1].GetValue(row)!));
            case ScalarFunction.RegName:
                return Strict(args, type, rowCount, row => PgCatalog.Instance.NameOf(CatalogContext, (long)args[0].GetValue(row)!, (RegKind)(int)args[1].GetValue(row)!));
            case ScalarFunction.FormatType:
                // A null type modifier means "unknown", which prints as without one, like -1.
                return Rows(type, rowCount, row => args[0].GetValue(row) is long oid
                    ? PgCatalog.FormatType(oid, args[1].GetValue(row) as int? ?? -1) ?? "???"
                    : null);
            case ScalarFunction.PgGetExpr:
                // Defaults and index expressions are kept as their SQL text, which is what deparsing would print.
                return Strict(args.Take(2).ToArray(), type, rowCount, row => args[0].GetValue(row));
            case ScalarFunction.PgGetIndexDef:
                return Strict(args, type, rowCount, row => PgCatalog.IndexDefinitionOf(CatalogContext.Catalog, (long)args[0].GetValue(row)!, args.Length > 1 ? (int)args[1].GetValue(row)! : 0));
            case ScalarFunction.PgGetConstraintDef:
                return Strict(args, type, rowCount, row => PgCatalog.ConstraintDefinitionOf(CatalogContext.Catalog, (long)args[0].GetValue(row)!, args.Length > 1 && (bool)args[1].GetValue(row)!));
            case ScalarFunction.PgGetViewDef:
                return Strict(args, type, rowCount, row => PgCatalog.ViewDefinitionOf(CatalogContext.Catalog, (long)args[0].GetValue(row)!));
            case ScalarFunction.PgGetSerialSequence:
                return Strict(args, type, rowCount, row => PgCatalog.SerialSequenceOf(CatalogContext.Catalog, (string)args[0].GetValue(row)!, (string)args[1].GetValue(row)!));
            case ScalarFunction.PgEncodingToChar:
                return Strict(args, type, rowCount, row => (int)args[0].GetValue(row)! == 6 ? "UTF8" : (int)args[0].GetValue(row)! == 0 ? "SQL_ASCII" : string.Empty);
            case ScalarFunction.PgRelationSize:
                // Storage is shared by every table of a shard, so no per-relation size is tracked: unknown, not zero.
                return Rows(type, rowCount, _ => null);
            case ScalarFunction.PgSizePretty:
                return Strict(args, type, rowCount, row => SizePretty(Convert.ToDecimal(args[0].GetValue(row), CultureInfo.InvariantCulture)));
            case ScalarFunction.ObjectIsVisible:
                // One search path holds every object by its bare name.
                return Strict(args, type, rowCount, _ => true);
            case ScalarFunction.RelationIsPublishable:
                // There is no logical replication, so nothing can be published.
                return Strict(args, type, rowCount, _ => false);
            case ScalarFunction.PgTableIsVisible:
                return Strict(args, type, rowCount, row => PgCatalog.Instance.IsRelationVisible(CatalogContext, Convert.ToInt64(args[0].GetValue(row), CultureInfo.InvariantCulture)));
            case ScalarFunction.ObjectDescription:
                // COMMENT ON TABLE/COLUMN texts; other objects have none. col_description passes a column number.
                return Strict(args, type, rowCount, row => PgCatalog.DescriptionOf(
                    CatalogContext.Catalog, (long)args[0].GetValue(row)!, args.Length > 1 && args[1].Type.Kind == SqlTypeKind.Int4 ? (int)args[1].GetValue(row)! : 0));
            case ScalarFunction.PgGetFunctionResult:
                return Strict(args, type, rowCount, row => PgCatalog.FunctionResultOf((long)args[0].GetValue(row)!));
            case ScalarFunction.PgGetFunctionArguments:
                return Strict(args, type, rowCount, row => PgCatalog.FunctionResultOf((long)args[0].GetValue(row)!) is null ? null : string.Empty);
            default:
                return null;
        }
    }

    /// <summary>pg_size_pretty: bytes below 10 kB, then kB, MB, GB, TB, PB, each rounded half up from the unit below.</summary>
    internal static string SizePretty(decimal bytes)
    {
        string[] units = ["kB", "MB", "GB", "TB", "PB"];
        var size = Math.Truncate(bytes);
        if (Math.Abs(size) < 10 * 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{size} bytes");
        }

        foreach (var unit in units)
        {
            // Like PostgreSQL: keep one extra bit, then halve with rounding, so 1.5 kB rounds to 2 kB.
            var halves = Math.Truncate(size / 512);
            if (Math.Abs(halves) < (20 * 1024) - 1 || unit == units[^1])
            {
                var rounded = Math.Truncate((halves + (halves < 0 ? -1 : 1)) / 2);
                return string.Create(CultureInfo.InvariantCulture, $"{rounded} {unit}");
            }

            size = Math.Truncate(size / 1024);
        }

        return string.Empty;
    }
}
