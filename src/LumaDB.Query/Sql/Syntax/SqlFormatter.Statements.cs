namespace LumaDB.Query.Sql.Syntax;

/// <summary>Statement printing: DML, COPY and the session statements.</summary>
public sealed partial class SqlFormatter
{
    private void WriteStatement(Statement statement)
    {
        switch (statement)
        {
            case SelectStatement select:
                WriteQuery(select.Query);
                break;
            case InsertStatement insert:
                WriteInsert(insert);
                break;
            case UpdateStatement update:
                WriteUpdate(update);
                break;
            case DeleteStatement delete:
                WriteDelete(delete);
                break;
            case CommentStatement comment:
                Write(comment.OnColumn ? "COMMENT ON COLUMN " : "COMMENT ON TABLE ");
                WriteName(comment.Name);
                Write(" IS ");
                if (comment.Text is null)
                {
                    Write("NULL");
                }
                else
                {
                    WriteExpression(new StringLiteral(comment.Text));
                }

                break;
            case TruncateStatement truncate:
                Write("TRUNCATE ");
                WriteList(truncate.Tables, WriteName);
                Write(truncate.RestartIdentity ? " RESTART IDENTITY" : string.Empty);
                Write(DropBehaviorText(truncate.Behavior));
                break;
            case CopyStatement copy:
                WriteCopy(copy);
                break;
            case MaintenanceStatement maintenance:
                Write(maintenance.Vacuum ? "VACUUM" : "ANALYZE");
                if (!maintenance.Options.IsEmpty)
                {
                    Write(" ");
                    WriteOptions(maintenance.Options, withEquals: false);
                }

                if (!maintenance.Tables.IsEmpty)
                {
                    Write(" ");
                    WriteList(maintenance.Tables, WriteName);
                }

                break;
            case TransactionStatement transaction:
                WriteTransaction(transaction);
                break;
            case SetTransactionStatement setTransaction:
                Write(setTransaction.SessionCharacteristics ? "SET SESSION CHARACTERISTICS AS TRANSACTION" : "SET TRANSACTION");
                WriteTransactionModes(setTransaction.Modes);
                break;
            case SetStatement set:
                WriteSet(set);
                break;
            case ResetStatement reset:
                Write("RESET ");
                Write(reset.Name is null ? "ALL" : reset.Name);
                break;
            case ShowStatement show:
                Write("SHOW ");
                Write(show.Name);
                break;
            case ExplainStatement explain:
                Write("EXPLAIN ");
                if (!explain.Options.IsEmpty)
                {
                    WriteOptions(explain.Options, withEquals: false);
                    Write(" ");
                }

                WriteStatement(explain.Statement);
                break;
            case PrepareStatement prepare:
                Write("PREPARE ");
                WriteIdent(prepare.Name);
                if (!prepare.ParameterTypes.IsEmpty)
                {
                    Write(" (");
                    WriteList(prepare.ParameterTypes, WriteType);
                    Write(")");
                }

                Write(" AS ");
                WriteStatement(prepare.Statement);
                break;
            case ExecuteStatement execute:
                Write("EXECUTE ");
                WriteIdent(execute.Name);
                if (!execute.Arguments.IsEmpty)
                {
                    Write(" (");
                    WriteList(execute.Arguments, WriteExpression);
                    Write(")");
                }

                break;
            case DeallocateStatement deallocate:
                Write("DEALLOCATE ");
                if (deallocate.Name is null)
                {
                    Write("ALL");
                }
                else
                {
                    WriteIdent(deallocate.Name);
                }

                break;
            case DiscardStatement discard:
                Write(discard.Target switch
                {
                    DiscardTarget.All => "DISCARD ALL",
                    DiscardTarget.Plans => "DISCARD PLANS",
                    DiscardTarget.Sequences => "DISCARD SEQUENCES",
                    _ => "DISCARD TEMP",
                });
                break;
            default:
                WriteDefinitionStatement(statement);
                break;
        }
    }

    private void WriteWithPrefix(WithClause? with)
    {
        if (with is not null)
        {
            WriteWith(with);
            Write(" ");
        }
    }

    private void WriteReturning(SyntaxList<SelectItem> returning)
    {
        if (!returning.IsEmpty)
        {
            Write(" RETURNING ");
            WriteList(returning, WriteSelectItem);
        }
    }

    private void WriteInsert(InsertStatement insert)
    {
        WriteWithPrefix(insert.With);
        Write("INSERT INTO ");
        WriteName(insert.Table);
        if (insert.Alias is not null)
        {
            Write(" AS ");
            WriteIdent(insert.Alias);
        }

        if (!insert.Columns.IsEmpty)
        {
            Write(" ");
            WriteNames(insert.Columns);
        }

        if (insert.Source is null)
        {
            Write(" DEFAULT VALUES");
        }
        else
        {
            Write(" ");
            WriteQuery(insert.Source);
        }

        if (insert.OnConflict is { } conflict)
        {
            Write(" ON CONFLICT");
            if (!conflict.Targets.IsEmpty)
            {
                Write(" (");
                WriteList(conflict.Targets, WriteIndexExpression);
                Write(")");
                if (conflict.TargetWhere is not null)
                {
                    Write(" WHERE ");
                    WriteExpression(conflict.TargetWhere);
                }
            }
            else if (conflict.Constraint is not null)
            {
                Write(" ON CONSTRAINT ");
                WriteIdent(conflict.Constraint);
            }

            if (conflict.DoUpdate)
            {
                Write(" DO UPDATE SET ");
                WriteList(conflict.Assignments, WriteAssignment);
                if (conflict.Where is not null)
                {
                    Write(" WHERE ");
                    WriteExpression(conflict.Where);
                }
            }
            else
            {
                Write(" DO NOTHING");
            }
        }

        WriteReturning(insert.Returning);
    }

    private void WriteAssignment(Assignment assignment)
    {
        if (assignment.IsMultiColumn)
        {
            WriteNames(assignment.Columns);
        }
        else
        {
            WriteIdent(assignment.Columns[0]);
        }

        Write(" = ");
        WriteExpression(assignment.Value);
    }

    private void WriteUpdate(UpdateStatement update)
    {
        WriteWithPrefix(update.With);
        Write("UPDATE ");
        WriteName(update.Table);
        if (update.Alias is not null)
        {
            Write(" AS ");
            WriteIdent(update.Alias);
        }

        Write(" SET ");
        WriteList(update.Assignments, WriteAssignment);
        if (!update.From.IsEmpty)
        {
            Write(" FROM ");
            WriteList(update.From, WriteTableReference);
        }

        if (update.Where is not null)
        {
            Write(" WHERE ");
            WriteExpression(update.Where);
        }

        WriteReturning(update.Returning);
    }

    private void WriteDelete(DeleteStatement delete)
    {
        WriteWithPrefix(delete.With);
        Write("DELETE FROM ");
        WriteName(delete.Table);
        if (delete.Alias is not null)
        {
            Write(" AS ");
            WriteIdent(delete.Alias);
        }

        if (!delete.Using.IsEmpty)
        {
            Write(" USING ");
            WriteList(delete.Using, WriteTableReference);
        }

        if (delete.Where is not null)
        {
            Write(" WHERE ");
            WriteExpression(delete.Where);
        }

        WriteReturning(delete.Returning);
    }

    private void WriteCopy(CopyStatement copy)
    {
        Write("COPY ");
        if (copy.Query is not null)
        {
            Write("(");
            WriteQuery(copy.Query);
            Write(")");
        }
        else if (copy.Table is not null)
        {
            WriteName(copy.Table);
            if (!copy.Columns.IsEmpty)
            {
                Write(" ");
                WriteNames(copy.Columns);
            }
        }

        Write(copy.IsFrom ? " FROM " : " TO ");
        Write(copy.FileName is null ? (copy.IsFrom ? "STDIN" : "STDOUT") : QuoteString(copy.FileName));
        if (!copy.Options.IsEmpty)
        {
            Write(" WITH ");
            WriteOptions(copy.Options, withEquals: false);
        }
    }

    private void WriteTransaction(TransactionStatement transaction)
    {
        switch (transaction.Kind)
        {
            case TransactionCommand.Begin:
                Write("BEGIN");
                if (transaction.Modes is not null)
                {
                    WriteTransactionModes(transaction.Modes);
                }

                break;
            case TransactionCommand.Commit:
                Write(transaction.Chain ? "COMMIT AND CHAIN" : "COMMIT");
                break;
            case TransactionCommand.Rollback:
                Write(transaction.Chain ? "ROLLBACK AND CHAIN" : "ROLLBACK");
                break;
            case TransactionCommand.Savepoint:
                Write("SAVEPOINT ");
                WriteIdent(transaction.Savepoint!);
                break;
            case TransactionCommand.Release:
                Write("RELEASE SAVEPOINT ");
                WriteIdent(transaction.Savepoint!);
                break;
            default:
                Write("ROLLBACK TO SAVEPOINT ");
                WriteIdent(transaction.Savepoint!);
                break;
        }
    }

    private void WriteTransactionModes(TransactionModes modes)
    {
        var parts = new List<string>();
        if (modes.Isolation is { } isolation)
        {
            parts.Add("ISOLATION LEVEL " + isolation switch
            {
                IsolationLevel.ReadUncommitted => "READ UNCOMMITTED",
                IsolationLevel.ReadCommitted => "READ COMMITTED",
                IsolationLevel.RepeatableRead => "REPEATABLE READ",
                _ => "SERIALIZABLE",
            });
        }

        if (modes.ReadOnly is { } readOnly)
        {
            parts.Add(readOnly ? "READ ONLY" : "READ WRITE");
        }

        if (modes.Deferrable is { } deferrable)
        {
            parts.Add(deferrable ? "DEFERRABLE" : "NOT DEFERRABLE");
        }

        Write(" " + string.Join(", ", parts));
    }

    private void WriteSet(SetStatement set)
    {
        Write(set.Scope == SetScope.Local ? "SET LOCAL " : "SET ");
        if (set.Name == "timezone" && set.Values.Count == 1 && set.Values[0] is not (StringLiteral or IntegerLiteral or NumericLiteral))
        {
            Write("TIME ZONE ");
            WriteExpression(set.Values[0]);
            return;
        }

        Write(set.Name);
        Write(" TO ");
        if (set.IsDefault)
        {
            Write("DEFAULT");
        }
        else
        {
            WriteList(set.Values, WriteExpression);
        }
    }
}
