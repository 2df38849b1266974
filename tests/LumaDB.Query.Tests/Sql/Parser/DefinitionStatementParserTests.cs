using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Syntax;
using static LumaDB.Query.Tests.Sql.Parser.Ast;

namespace LumaDB.Query.Tests.Sql.Parser;

public sealed class DefinitionStatementParserTests
{
    private static T Parse<T>(string sql) where T : Statement => Assert.IsType<T>(SqlParser.ParseStatement(sql));

    [Fact]
    public void Create_table_reads_columns_constraints_and_storage_options()
    {
        var create = Parse<CreateTableStatement>(
            "CREATE TABLE IF NOT EXISTS m (ts timestamptz NOT NULL, host text DEFAULT 'x', v double precision, " +
            "PRIMARY KEY (ts, host)) WITH (time_index = 'ts', ttl = '30d')");
        Assert.True(create.IfNotExists);
        Assert.Equal(["ts", "host", "v"], create.Columns.Select(c => c.Name));
        Assert.Equal(Type("float8"), create.Columns[2].Type);
        Assert.Equal(ColumnConstraintKind.NotNull, Assert.Single(create.Columns[0].Constraints).Kind);
        Assert.Equal(new ColumnConstraint(null, ColumnConstraintKind.Default, Str("x")), Assert.Single(create.Columns[1].Constraints));
        Assert.Equal(new TableConstraint(null, TableConstraintKind.PrimaryKey, ["ts", "host"]), Assert.Single(create.Constraints));
        Assert.Equal([new SqlOption("time_index", Str("ts")), new SqlOption("ttl", Str("30d"))], create.Options);
    }

    [Fact]
    public void Column_constraints_cover_keys_checks_and_references()
    {
        var create = Parse<CreateTableStatement>(
            "CREATE TABLE t (a int CONSTRAINT pk PRIMARY KEY, b int UNIQUE NULL, c int CHECK (c > 0), " +
            "d int REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL, e int GENERATED ALWAYS AS IDENTITY)");
        Assert.Equal(new ColumnConstraint("pk", ColumnConstraintKind.PrimaryKey), create.Columns[0].Constraints[0]);
        Assert.Equal([ColumnConstraintKind.Unique, ColumnConstraintKind.Null], create.Columns[1].Constraints.Select(c => c.Kind));
        Assert.Equal(Bin(BinaryOperator.GreaterThan, Col("c"), Int(0)), create.Columns[2].Constraints[0].Expression);
        var references = create.Columns[3].Constraints[0].References!;
        Assert.Equal((ReferentialAction.Cascade, ReferentialAction.SetNull), (references.OnDelete, references.OnUpdate));
        Assert.Equal(ColumnConstraintKind.IdentityAlways, create.Columns[4].Constraints[0].Kind);
    }

    [Fact]
    public void Table_constraints_cover_unique_check_and_foreign_keys()
    {
        var create = Parse<CreateTableStatement>("CREATE TABLE t (a int, b int, UNIQUE (a), CONSTRAINT c CHECK (a < b), FOREIGN KEY (b) REFERENCES p (id))");
        Assert.Equal([TableConstraintKind.Unique, TableConstraintKind.Check, TableConstraintKind.ForeignKey], create.Constraints.Select(c => c.Kind));
        Assert.Equal("c", create.Constraints[1].Name);
        Assert.Equal(["b"], create.Constraints[2].Columns);
    }

    [Fact]
    public void Create_table_as_keeps_the_query()
    {
        var create = Parse<CreateTableAsStatement>("CREATE TABLE t2 (x) AS SELECT 1 WITH NO DATA");
        Assert.Equal(["x"], create.Columns);
        Assert.False(create.WithData);
    }

    [Fact]
    public void Drop_takes_kinds_name_lists_if_exists_and_behavior()
    {
        var drop = Parse<DropStatement>("DROP TABLE IF EXISTS a, s.b CASCADE");
        Assert.Equal((DropObjectKind.Table, true, DropBehavior.Cascade), (drop.Kind, drop.IfExists, drop.Behavior));
        Assert.Equal(2, drop.Names.Count);
        Assert.Equal(DropObjectKind.Index, Parse<DropStatement>("DROP INDEX i").Kind);
        Assert.Equal(DropObjectKind.View, Parse<DropStatement>("DROP VIEW v RESTRICT").Kind);
        Assert.Equal(DropObjectKind.MaterializedView, Parse<DropStatement>("DROP MATERIALIZED VIEW v").Kind);
        Assert.Equal(DropObjectKind.Schema, Parse<DropStatement>("DROP SCHEMA s").Kind);
        Assert.Equal(DropObjectKind.Role, Parse<DropStatement>("DROP ROLE r").Kind);
    }

    [Fact]
    public void Alter_table_actions_parse()
    {
        var alter = Parse<AlterTableStatement>(
            "ALTER TABLE t ADD COLUMN c int NOT NULL, DROP COLUMN IF EXISTS d, RENAME COLUMN e TO f, ALTER COLUMN g TYPE bigint USING g::bigint, " +
            "ALTER h SET DEFAULT 0, ALTER i DROP DEFAULT, ALTER j SET NOT NULL, ALTER k DROP NOT NULL, ADD CONSTRAINT u UNIQUE (a), DROP CONSTRAINT v");
        Assert.Equal(
            [
                typeof(AddColumnAction), typeof(DropColumnAction), typeof(RenameColumnAction), typeof(AlterColumnTypeAction),
                typeof(AlterColumnDefaultAction), typeof(AlterColumnDefaultAction), typeof(AlterColumnNullabilityAction),
                typeof(AlterColumnNullabilityAction), typeof(AddConstraintAction), typeof(DropConstraintAction),
            ],
            alter.Actions.Select(a => a.GetType()));
        Assert.Equal(new AlterColumnDefaultAction("i", null), alter.Actions[5]);
        Assert.Equal(new RenameTableAction("u"), Assert.Single(Parse<AlterTableStatement>("ALTER TABLE t RENAME TO u").Actions));
    }

    [Fact]
    public void Create_index_reads_method_operator_classes_and_options()
    {
        var index = Parse<CreateIndexStatement>("CREATE INDEX emb ON items USING hnsw (embedding vector_cosine_ops) WITH (m = 16)");
        Assert.Equal(("emb", "hnsw"), (index.Name, index.Method));
        var element = Assert.Single(index.Elements);
        Assert.Equal(Col("embedding"), element.Expression);
        Assert.Equal(QualifiedName.Of("vector_cosine_ops"), element.OperatorClass);
        Assert.Equal(new SqlOption("m", Int(16)), Assert.Single(index.Options));
    }

    [Fact]
    public void Create_unique_index_takes_expressions_ordering_and_a_predicate()
    {
        var index = Parse<CreateIndexStatement>("CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a DESC NULLS LAST, (lower(b)), upper(c)) WHERE a > 0");
        Assert.True(index.Unique && index.IfNotExists);
        Assert.Equal(new IndexElement(Col("a"), null, SortDirection.Descending, NullsOrder.Last), index.Elements[0]);
        Assert.Equal(Call("lower", Col("b")), index.Elements[1].Expression);
        Assert.Equal(Call("upper", Col("c")), index.Elements[2].Expression);
        Assert.NotNull(index.Where);
    }

    [Fact]
    public void Views_come_plain_replaced_and_materialized()
    {
        var view = Parse<CreateViewStatement>("CREATE OR REPLACE VIEW v (x) AS SELECT a FROM t");
        Assert.True(view.OrReplace);
        Assert.Equal(["x"], view.Columns);
        Assert.True(Parse<CreateViewStatement>("CREATE MATERIALIZED VIEW mv AS SELECT 1").Materialized);
    }

    [Fact]
    public void Create_schema_takes_a_name_or_an_authorization()
    {
        Assert.Equal(new CreateSchemaStatement("s", true, null), Parse<CreateSchemaStatement>("CREATE SCHEMA IF NOT EXISTS s"));
        Assert.Equal(new CreateSchemaStatement(null, false, "bob"), Parse<CreateSchemaStatement>("CREATE SCHEMA AUTHORIZATION bob"));
    }
}
