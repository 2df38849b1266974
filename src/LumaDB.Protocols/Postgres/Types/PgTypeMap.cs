using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres.Types;

/// <summary>Maps the type OIDs clients send (Parse parameter types) to SQL types.</summary>
public static class PgTypeMap
{
    private static readonly Dictionary<uint, SqlType> ByOid = Build();

    /// <summary>The type for an OID; <see cref="SqlType.Unknown"/> for 0 (infer it), null for an OID LumaDB does not know.</summary>
    public static SqlType? FromOid(uint oid) => oid == 0 ? SqlType.Unknown : ByOid.GetValueOrDefault(oid);

    private static Dictionary<uint, SqlType> Build()
    {
        SqlType[] scalars =
        [
            SqlType.Boolean, SqlType.Int2, SqlType.Int4, SqlType.Int8, SqlType.Float4, SqlType.Float8, SqlType.Numeric,
            SqlType.Text, SqlType.Varchar, SqlType.Bpchar, SqlType.Bytea, SqlType.Date, SqlType.Time, SqlType.Timestamp,
            SqlType.TimestampTz, SqlType.Interval, SqlType.Uuid, SqlType.Json, SqlType.Jsonb, SqlType.VectorOf(-1),
        ];
        var map = new Dictionary<uint, SqlType> { [PgTypeOids.Unknown] = SqlType.Unknown };
        foreach (var scalar in scalars)
        {
            map[scalar.Oid] = scalar;
            map[SqlType.ArrayOf(scalar).Oid] = SqlType.ArrayOf(scalar);
        }

        return map;
    }
}
