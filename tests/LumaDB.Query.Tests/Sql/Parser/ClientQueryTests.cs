using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class ClientQueryTests
{
    [Theory]
    [InlineData("SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END as \"Type\", pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2;")]
    [InlineData("SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3;")]
    [InlineData("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull FROM pg_catalog.pg_attribute a WHERE a.attrelid = '16384' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum;")]
    [InlineData("SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid FROM (SELECT typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind, elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind, CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype, typ.typcategory FROM (SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid, CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype, CASE WHEN proc.proname='array_recv' THEN typ.typelem WHEN typ.typtype='r' THEN rngsubtype WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid) WHEN typ.typtype='d' THEN typ.typbasetype END AS elemtypoid FROM pg_type AS typ LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid) LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)) AS typ LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid) LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive) AS t JOIN pg_namespace AS ns ON (ns.oid = typnamespace) WHERE typtype IN ('b', 'r', 'm', 'e', 'd') OR (typtype = 'c' AND relkind='c') OR (typtype = 'p' AND typname IN ('record', 'void', 'unknown')) OR (typtype = 'a' AND (elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR (elemtyptype = 'c' AND elemrelkind='c'))) ORDER BY CASE WHEN typtype IN ('b', 'e', 'p') THEN 0 WHEN typtype = 'r' THEN 1 WHEN typtype = 'm' THEN 2 WHEN typtype = 'c' THEN 3 WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4 WHEN typtype = 'a' THEN 5 WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6 END")]
    [InlineData("select t.oid, t.typname, t.typtype from pg_type t where t.oid = any($1::oid[]) and t.typname::text like '\\_%'")]
    [InlineData("SELECT time, timestamp, interval, date FROM t WHERE time > now()")]
    [InlineData("SELECT x.* FROM (VALUES (1, 'a')) AS x(n, s) WHERE x.n BETWEEN 0 AND 2")]
    [InlineData("SELECT CURRENT_SETTING('server_version_num')::int, version(), pg_backend_pid(), inet_server_addr()")]
    [InlineData("SELECT 1 FROM t WHERE a IS NOT NULL AND b::text ILIKE '%x%' LIMIT $1")]
    [InlineData("SELECT sum(x) FILTER (WHERE y) OVER (PARTITION BY z ORDER BY w RANGE UNBOUNDED PRECEDING) AS s FROM t")]
    [InlineData("INSERT INTO cpu (ts, host, usage) VALUES ($1, $2, $3), ($4, $5, $6)")]
    [InlineData("SELECT date_trunc('hour', ts) AS h, percentile_disc(0.99) WITHIN GROUP (ORDER BY latency) FROM req GROUP BY 1 ORDER BY 1")]
    [InlineData("SELECT jsonb_build_object('a', 1) -> 'a', '{\"a\":1}'::jsonb ? 'a', tags @> ARRAY['x']::text[]")]
    [InlineData("SELECT embedding <=> '[1,2,3]'::vector(3) AS d FROM items ORDER BY d LIMIT 10")]
    [InlineData("SELECT NULL::int, NULL IS NULL, NOT NULL IS NULL")]
    [InlineData("SELECT a FROM t WHERE (a, b) IN ((1, 2), (3, 4)) AND (a, b) > (1, 2)")]
    [InlineData("SELECT 'a' = 'a' COLLATE \"C\", x AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris'")]
    [InlineData("SELECT * FROM (SELECT 1) s JOIN LATERAL (SELECT 2) l ON true")]
    [InlineData("SELECT array_agg(x ORDER BY x) FROM t")]
    [InlineData("SELECT count(*) AS \"count\" FROM t GROUP BY ()")]
    public void Queries_that_drivers_tools_and_dashboards_send_parse_and_round_trip(string sql)
    {
        var parsed = SqlParser.ParseStatement(sql);
        var formatted = SqlFormatter.Format(parsed);
        Assert.True(parsed.Equals(SqlParser.ParseStatement(formatted)), formatted);
    }
}
