namespace LumaDB.Query.Sql.Syntax;

/// <summary>Statement printing: CREATE/DROP/ALTER, roles and privileges.</summary>
public sealed partial class SqlFormatter
{
    private void WriteDefinitionStatement(Statement statement)
    {
        switch (statement)
        {
            case CreateTableStatement create:
                WriteCreateTable(create);
                break;
            case CreateTableAsStatement createAs:
                Write(createAs.Temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ");
                Write(createAs.IfNotExists ? "IF NOT EXISTS " : string.Empty);
                WriteName(createAs.Name);
                if (!createAs.Columns.IsEmpty)
                {
                    Write(" ");
                    WriteNames(createAs.Columns);
                }

                WriteRelationOptions(createAs.Options);
                Write(" AS ");
                WriteQuery(createAs.Query);
                Write(createAs.WithData ? string.Empty : " WITH NO DATA");
                break;
            case DropStatement drop:
                WriteDrop(drop);
                break;
            case AlterTableStatement alter:
                Write("ALTER TABLE ");
                Write(alter.IfExists ? "IF EXISTS " : string.Empty);
                WriteName(alter.Table);
                Write(" ");
                WriteList(alter.Actions, WriteAlterAction);
                break;
            case CreateIndexStatement index:
                WriteCreateIndex(index);
                break;
            case CreateViewStatement view:
                Write("CREATE ");
                Write(view.OrReplace ? "OR REPLACE " : string.Empty);
                Write(view.Temporary ? "TEMPORARY " : string.Empty);
                Write(view.Materialized ? "MATERIALIZED VIEW " : "VIEW ");
                Write(view.IfNotExists ? "IF NOT EXISTS " : string.Empty);
                WriteName(view.Name);
                if (!view.Columns.IsEmpty)
                {
                    Write(" ");
                    WriteNames(view.Columns);
                }

                WriteRelationOptions(view.Options);
                Write(" AS ");
                WriteQuery(view.Query);
                Write(view.WithData ? string.Empty : " WITH NO DATA");
                break;
            case CreateSequenceStatement sequence:
                Write("CREATE SEQUENCE ");
                Write(sequence.IfNotExists ? "IF NOT EXISTS " : string.Empty);
                WriteName(sequence.Name);
                WriteSequenceOptions(sequence.Options);
                break;
            case AlterSequenceStatement alterSequence:
                Write("ALTER SEQUENCE ");
                Write(alterSequence.IfExists ? "IF EXISTS " : string.Empty);
                WriteName(alterSequence.Name);
                if (alterSequence.NewName is { } newName)
                {
                    Write(" RENAME TO ");
                    WriteIdent(newName);
                }

                WriteSequenceOptions(alterSequence.Options);
                break;
            case CreateSchemaStatement schema:
                Write("CREATE SCHEMA ");
                Write(schema.IfNotExists ? "IF NOT EXISTS " : string.Empty);
                if (schema.Name is not null)
                {
                    WriteIdent(schema.Name);
                }

                if (schema.Authorization is not null)
                {
                    Write(schema.Name is null ? "AUTHORIZATION " : " AUTHORIZATION ");
                    WriteIdent(schema.Authorization);
                }

                break;
            case CreateRoleStatement role:
                Write(role.Keyword switch
                {
                    RoleKeyword.User => "CREATE USER ",
                    RoleKeyword.Group => "CREATE GROUP ",
                    _ => "CREATE ROLE ",
                });
                WriteIdent(role.Name);
                WriteRoleOptions(role.Options);
                break;
            case AlterRoleStatement alterRole:
                WriteAlterRole(alterRole);
                break;
            case GrantStatement grant:
                Write("GRANT ");
                WritePrivilegeTarget(grant.Privileges, grant.ObjectKind, grant.Objects);
                Write(" TO ");
                WriteList(grant.Grantees, WriteIdent);
                if (grant.WithGrantOption)
                {
                    Write(grant.Objects.IsEmpty ? " WITH ADMIN OPTION" : " WITH GRANT OPTION");
                }

                break;
            case RevokeStatement revoke:
                Write("REVOKE ");
                if (revoke.GrantOptionFor)
                {
                    Write(revoke.Objects.IsEmpty ? "ADMIN OPTION FOR " : "GRANT OPTION FOR ");
                }

                WritePrivilegeTarget(revoke.Privileges, revoke.ObjectKind, revoke.Objects);
                Write(" FROM ");
                WriteList(revoke.Grantees, WriteIdent);
                Write(DropBehaviorText(revoke.Behavior));
                break;
            default:
                throw new ArgumentException("No SQL form for " + statement.GetType().Name, nameof(statement));
        }
    }

    private void WriteRelationOptions(SyntaxList<SqlOption> options)
    {
        if (!options.IsEmpty)
        {
            Write(" WITH ");
            WriteOptions(options, withEquals: true);
        }
    }

    private void WriteCreateTable(CreateTableStatement create)
    {
        Write(create.Temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ");
        Write(create.IfNotExists ? "IF NOT EXISTS " : string.Empty);
        WriteName(create.Name);
        Write(" (");
        var first = true;
        foreach (var column in create.Columns)
        {
            Write(first ? string.Empty : ", ");
            first = false;
            WriteColumnDefinition(column);
        }

        foreach (var constraint in create.Constraints)
        {
            Write(first ? string.Empty : ", ");
            first = false;
            WriteTableConstraint(constraint);
        }

        Write(")");
        WriteRelationOptions(create.Options);
    }

    private void WriteColumnDefinition(ColumnDefinition column)
    {
        WriteIdent(column.Name);
        Write(" ");
        WriteType(column.Type);
        if (column.Collation is not null)
        {
            Write(" COLLATE ");
            WriteName(column.Collation);
        }

        foreach (var constraint in column.Constraints)
        {
            if (constraint.Name is not null)
            {
                Write(" CONSTRAINT ");
                WriteIdent(constraint.Name);
            }

            switch (constraint.Kind)
            {
                case ColumnConstraintKind.NotNull:
                    Write(" NOT NULL");
                    break;
                case ColumnConstraintKind.Null:
                    Write(" NULL");
                    break;
                case ColumnConstraintKind.Default:
                    Write(" DEFAULT ");
                    WriteExpression(constraint.Expression!, SqlPrecedence.OtherOperator);
                    break;
                case ColumnConstraintKind.PrimaryKey:
                    Write(" PRIMARY KEY");
                    break;
                case ColumnConstraintKind.Unique:
                    Write(" UNIQUE");
                    break;
                case ColumnConstraintKind.Check:
                    Write(" CHECK (");
                    WriteExpression(constraint.Expression!);
                    Write(")");
                    break;
                case ColumnConstraintKind.References:
                    Write(" ");
                    WriteReferences(constraint.References!);
                    break;
                case ColumnConstraintKind.Generated:
                    Write(" GENERATED ALWAYS AS (");
                    WriteExpression(constraint.Expression!);
                    Write(") STORED");
                    break;
                case ColumnConstraintKind.IdentityAlways:
                    Write(" GENERATED ALWAYS AS IDENTITY");
                    WriteIdentityOptions(constraint.SequenceOptions);
                    break;
                case ColumnConstraintKind.IdentityByDefault:
                    Write(" GENERATED BY DEFAULT AS IDENTITY");
                    WriteIdentityOptions(constraint.SequenceOptions);
                    break;
            }
        }
    }

    private void WriteTableConstraint(TableConstraint constraint)
    {
        if (constraint.Name is not null)
        {
            Write("CONSTRAINT ");
            WriteIdent(constraint.Name);
            Write(" ");
        }

        switch (constraint.Kind)
        {
            case TableConstraintKind.PrimaryKey:
                Write("PRIMARY KEY ");
                WriteNames(constraint.Columns);
                break;
            case TableConstraintKind.Unique:
                Write("UNIQUE ");
                WriteNames(constraint.Columns);
                break;
            case TableConstraintKind.Check:
                Write("CHECK (");
                WriteExpression(constraint.Check!);
                Write(")");
                break;
            default:
                Write("FOREIGN KEY ");
                WriteNames(constraint.Columns);
                Write(" ");
                WriteReferences(constraint.References!);
                break;
        }
    }

    private void WriteReferences(ForeignKeyReference references)
    {
        Write("REFERENCES ");
        WriteName(references.Table);
        if (!references.Columns.IsEmpty)
        {
            Write(" ");
            WriteNames(references.Columns);
        }

        WriteReferentialAction(" ON DELETE ", references.OnDelete);
        WriteReferentialAction(" ON UPDATE ", references.OnUpdate);
    }

    private void WriteReferentialAction(string prefix, ReferentialAction action)
    {
        if (action == ReferentialAction.Default)
        {
            return;
        }

        Write(prefix);
        Write(action switch
        {
            ReferentialAction.NoAction => "NO ACTION",
            ReferentialAction.Restrict => "RESTRICT",
            ReferentialAction.Cascade => "CASCADE",
            ReferentialAction.SetNull => "SET NULL",
            _ => "SET DEFAULT",
        });
    }

    private void WriteIdentityOptions(SyntaxList<SequenceOption>? options)
    {
        if (options is { IsEmpty: false } list)
        {
            Write(" (");
            WriteSequenceOptions(list);
            Write(" )");
        }
    }

    private void WriteSequenceOptions(SyntaxList<SequenceOption> options)
    {
        foreach (var option in options)
        {
            switch (option.Kind)
            {
                case SequenceOptionKind.As:
                    Write(" AS ");
                    WriteType(option.Type!);
                    break;
                case SequenceOptionKind.Increment:
                    Write(" INCREMENT BY ");
                    WriteInt(option.Value!.Value);
                    break;
                case SequenceOptionKind.MinValue or SequenceOptionKind.MaxValue:
                    var word = option.Kind == SequenceOptionKind.MinValue ? "MINVALUE" : "MAXVALUE";
                    if (option.Value is { } bound)
                    {
                        Write(" " + word + " ");
                        WriteInt(bound);
                    }
                    else
                    {
                        Write(" NO " + word);
                    }

                    break;
                case SequenceOptionKind.SequenceName:
                    Write(" SEQUENCE NAME ");
                    WriteName(option.Owner!);
                    break;
                case SequenceOptionKind.Start:
                    Write(" START WITH ");
                    WriteInt(option.Value!.Value);
                    break;
                case SequenceOptionKind.Restart:
                    Write(" RESTART");
                    if (option.Value is { } restart)
                    {
                        Write(" WITH ");
                        WriteInt(restart);
                    }

                    break;
                case SequenceOptionKind.Cache:
                    Write(" CACHE ");
                    WriteInt(option.Value!.Value);
                    break;
                case SequenceOptionKind.Cycle:
                    Write(option.Value == 1 ? " CYCLE" : " NO CYCLE");
                    break;
                default:
                    Write(" OWNED BY ");
                    if (option.Owner is { } owner)
                    {
                        WriteName(owner);
                    }
                    else
                    {
                        Write("NONE");
                    }

                    break;
            }
        }
    }

    private void WriteDrop(DropStatement drop)
    {
        Write(drop.Kind switch
        {
            DropObjectKind.Table => "DROP TABLE ",
            DropObjectKind.Index => "DROP INDEX ",
            DropObjectKind.View => "DROP VIEW ",
            DropObjectKind.MaterializedView => "DROP MATERIALIZED VIEW ",
            DropObjectKind.Schema => "DROP SCHEMA ",
            DropObjectKind.Role => "DROP ROLE ",
            DropObjectKind.User => "DROP USER ",
            _ => "DROP SEQUENCE ",
        });
        Write(drop.Concurrently ? "CONCURRENTLY " : string.Empty);
        Write(drop.IfExists ? "IF EXISTS " : string.Empty);
        WriteList(drop.Names, WriteName);
        Write(DropBehaviorText(drop.Behavior));
    }

    private void WriteAlterAction(AlterTableAction action)
    {
        switch (action)
        {
            case AddColumnAction add:
                Write(add.IfNotExists ? "ADD COLUMN IF NOT EXISTS " : "ADD COLUMN ");
                WriteColumnDefinition(add.Column);
                break;
            case DropColumnAction drop:
                Write(drop.IfExists ? "DROP COLUMN IF EXISTS " : "DROP COLUMN ");
                WriteIdent(drop.Column);
                Write(DropBehaviorText(drop.Behavior));
                break;
            case RenameColumnAction rename:
                Write("RENAME COLUMN ");
                WriteIdent(rename.Column);
                Write(" TO ");
                WriteIdent(rename.NewName);
                break;
            case RenameTableAction renameTable:
                Write("RENAME TO ");
                WriteIdent(renameTable.NewName);
                break;
            case AlterColumnTypeAction type:
                Write("ALTER COLUMN ");
                WriteIdent(type.Column);
                Write(" TYPE ");
                WriteType(type.Type);
                if (type.Using is not null)
                {
                    Write(" USING ");
                    WriteExpression(type.Using);
                }

                break;
            case AlterColumnDefaultAction setDefault:
                Write("ALTER COLUMN ");
                WriteIdent(setDefault.Column);
                if (setDefault.Default is null)
                {
                    Write(" DROP DEFAULT");
                }
                else
                {
                    Write(" SET DEFAULT ");
                    WriteExpression(setDefault.Default);
                }

                break;
            case AlterColumnNullabilityAction nullability:
                Write("ALTER COLUMN ");
                WriteIdent(nullability.Column);
                Write(nullability.NotNull ? " SET NOT NULL" : " DROP NOT NULL");
                break;
            case AddIdentityAction identity:
                Write("ALTER COLUMN ");
                WriteIdent(identity.Column);
                Write(identity.Always ? " ADD GENERATED ALWAYS AS IDENTITY" : " ADD GENERATED BY DEFAULT AS IDENTITY");
                if (identity.Options is { Count: > 0 } identityOptions)
                {
                    Write(" (");
                    WriteSequenceOptions(identityOptions);
                    Write(" )");
                }

                break;
            case DropIdentityAction dropIdentity:
                Write("ALTER COLUMN ");
                WriteIdent(dropIdentity.Column);
                Write(dropIdentity.IfExists ? " DROP IDENTITY IF EXISTS" : " DROP IDENTITY");
                break;
            case AddConstraintAction addConstraint:
                Write("ADD ");
                WriteTableConstraint(addConstraint.Constraint);
                break;
            case DropConstraintAction dropConstraint:
                Write(dropConstraint.IfExists ? "DROP CONSTRAINT IF EXISTS " : "DROP CONSTRAINT ");
                WriteIdent(dropConstraint.Name);
                Write(DropBehaviorText(dropConstraint.Behavior));
                break;
            case SetTableOptionsAction options:
                Write("SET ");
                WriteOptions(options.Options, withEquals: true);
                break;
        }
    }

    private void WriteCreateIndex(CreateIndexStatement index)
    {
        Write(index.Unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
        Write(index.Concurrently ? "CONCURRENTLY " : string.Empty);
        Write(index.IfNotExists ? "IF NOT EXISTS " : string.Empty);
        if (index.Name is not null)
        {
            WriteIdent(index.Name);
            Write(" ");
        }

        Write("ON ");
        WriteName(index.Table);
        if (index.Method is not null)
        {
            Write(" USING ");
            WriteIdent(index.Method);
        }

        Write(" (");
        WriteList(index.Elements, element =>
        {
            WriteIndexExpression(element.Expression);
            if (element.OperatorClass is not null)
            {
                Write(" ");
                WriteName(element.OperatorClass);
            }

            Write(element.Direction switch
            {
                SortDirection.Ascending => " ASC",
                SortDirection.Descending => " DESC",
                _ => string.Empty,
            });
            Write(element.Nulls switch
            {
                NullsOrder.First => " NULLS FIRST",
                NullsOrder.Last => " NULLS LAST",
                _ => string.Empty,
            });
        });
        Write(")");
        if (!index.Include.IsEmpty)
        {
            Write(" INCLUDE ");
            WriteNames(index.Include);
        }

        WriteRelationOptions(index.Options);
        if (index.Where is not null)
        {
            Write(" WHERE ");
            WriteExpression(index.Where);
        }
    }

    /// <summary>Index keys are bare only when they are a column or a call; anything else needs parentheses.</summary>
    private void WriteIndexExpression(Expression expression)
    {
        if (expression is ColumnReference or FunctionCall)
        {
            WriteExpression(expression);
        }
        else
        {
            Write("(");
            WriteExpression(expression);
            Write(")");
        }
    }

    private void WriteRoleOptions(SyntaxList<SqlOption> options)
    {
        foreach (var option in options)
        {
            Write(" ");
            switch (option.Name)
            {
                case "in role" when option.Value is StringLiteral roles:
                    Write("IN ROLE ");
                    WriteList(roles.Value.Split(','), WriteIdent);
                    break;
                default:
                    Write(option.Name.ToUpperInvariant());
                    if (option.Value is not null)
                    {
                        Write(" ");
                        WriteExpression(option.Value);
                    }

                    break;
            }
        }
    }

    private void WriteAlterRole(AlterRoleStatement alterRole)
    {
        Write("ALTER ROLE ");
        WriteIdent(alterRole.Name);
        if (alterRole.RenameTo is not null)
        {
            Write(" RENAME TO ");
            WriteIdent(alterRole.RenameTo);
        }
        else if (alterRole.Set is not null)
        {
            Write(" ");
            WriteSet(alterRole.Set);
        }
        else
        {
            WriteRoleOptions(alterRole.Options);
        }
    }

    private void WritePrivilegeTarget(SyntaxList<string> privileges, GrantObjectKind kind, SyntaxList<QualifiedName> objects)
    {
        WriteList(privileges, privilege => Write(privilege is "all" or "select" or "insert" or "update" or "delete" or "truncate" or "references"
            or "trigger" or "usage" or "create" or "connect" or "temporary" or "temp" or "execute"
            ? privilege.ToUpperInvariant()
            : QuoteIdentifier(privilege)));
        if (objects.IsEmpty)
        {
            return;
        }

        Write(kind switch
        {
            GrantObjectKind.Schema => " ON SCHEMA ",
            GrantObjectKind.AllTablesInSchema => " ON ALL TABLES IN SCHEMA ",
            GrantObjectKind.Database => " ON DATABASE ",
            GrantObjectKind.Sequence => " ON SEQUENCE ",
            GrantObjectKind.Function => " ON FUNCTION ",
            _ => " ON TABLE ",
        });
        WriteList(objects, WriteName);
    }
}
