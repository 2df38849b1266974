namespace LumaDB.Query.Sql.Syntax;

/// <summary>Query printing: WITH, SELECT blocks, set operations, FROM items, ordering and windows.</summary>
public sealed partial class SqlFormatter
{
    private void WriteQuery(QueryExpression query)
    {
        if (query.With is not null)
        {
            WriteWith(query.With);
            Write(" ");
        }

        WriteBody(query.Body);
        if (!query.OrderBy.IsEmpty)
        {
            Write(" ORDER BY ");
            WriteList(query.OrderBy, WriteOrderByItem);
        }

        if (query.WithTies)
        {
            if (query.Offset is not null)
            {
                Write(" OFFSET ");
                WriteExpression(query.Offset);
                Write(" ROWS");
            }

            Write(" FETCH FIRST ");
            WriteExpression(query.Limit ?? new IntegerLiteral(1), SqlPrecedence.Additive);
            Write(" ROWS WITH TIES");
        }
        else
        {
            if (query.Limit is not null)
            {
                Write(" LIMIT ");
                WriteExpression(query.Limit);
            }

            if (query.Offset is not null)
            {
                Write(" OFFSET ");
                WriteExpression(query.Offset);
            }
        }

        foreach (var locking in query.Locking ?? SyntaxList<LockingClause>.Empty)
        {
            Write(locking.Strength switch
            {
                LockStrength.Update => " FOR UPDATE",
                LockStrength.NoKeyUpdate => " FOR NO KEY UPDATE",
                LockStrength.Share => " FOR SHARE",
                _ => " FOR KEY SHARE",
            });
            if (!locking.Of.IsEmpty)
            {
                Write(" OF ");
                WriteList(locking.Of, WriteName);
            }

            Write(locking.WaitPolicy switch
            {
                LockWaitPolicy.NoWait => " NOWAIT",
                LockWaitPolicy.SkipLocked => " SKIP LOCKED",
                _ => string.Empty,
            });
        }
    }

    private void WriteWith(WithClause with)
    {
        Write(with.Recursive ? "WITH RECURSIVE " : "WITH ");
        WriteList(with.Tables, cte =>
        {
            WriteIdent(cte.Name);
            if (!cte.Columns.IsEmpty)
            {
                Write(" ");
                WriteNames(cte.Columns);
            }

            Write(cte.Materialization switch
            {
                CteMaterialization.Materialized => " AS MATERIALIZED (",
                CteMaterialization.NotMaterialized => " AS NOT MATERIALIZED (",
                _ => " AS (",
            });
            WriteStatement(cte.Body);
            Write(")");
        });
    }

    private static int SetPrecedence(QueryBody body) => body switch
    {
        SetOperationBody { Operator: SetOperator.Intersect } => 2,
        SetOperationBody => 1,
        _ => 3,
    };

    private void WriteBody(QueryBody body)
    {
        switch (body)
        {
            case SelectBody select:
                WriteSelectBody(select);
                break;
            case ValuesBody values:
                Write("VALUES ");
                WriteList(values.Rows, row =>
                {
                    Write("(");
                    WriteList(row, WriteExpression);
                    Write(")");
                });
                break;
            case SetOperationBody setOperation:
                {
                    var precedence = SetPrecedence(setOperation);
                    WriteSetOperand(setOperation.Left, SetPrecedence(setOperation.Left) < precedence);
                    Write(setOperation.Operator switch
                    {
                        SetOperator.Union => " UNION ",
                        SetOperator.Intersect => " INTERSECT ",
                        _ => " EXCEPT ",
                    });
                    Write(setOperation.All ? "ALL " : string.Empty);
                    WriteSetOperand(setOperation.Right, SetPrecedence(setOperation.Right) <= precedence);
                    break;
                }

            case ParenthesizedQueryBody parenthesized:
                Write("(");
                WriteQuery(parenthesized.Query);
                Write(")");
                break;
        }
    }

    private void WriteSetOperand(QueryBody body, bool parenthesize)
    {
        if (parenthesize)
        {
            Write("(");
            WriteBody(body);
            Write(")");
        }
        else
        {
            WriteBody(body);
        }
    }

    private void WriteSelectBody(SelectBody select)
    {
        Write("SELECT");
        if (select.Distinct)
        {
            Write(" DISTINCT");
            if (select.DistinctOn is { } on)
            {
                Write(" ON (");
                WriteList(on, WriteExpression);
                Write(")");
            }
        }

        if (!select.Targets.IsEmpty)
        {
            Write(" ");
            WriteList(select.Targets, WriteSelectItem);
        }

        if (!select.From.IsEmpty)
        {
            Write(" FROM ");
            WriteList(select.From, WriteTableReference);
        }

        if (select.Where is not null)
        {
            Write(" WHERE ");
            WriteExpression(select.Where);
        }

        if (!select.GroupBy.IsEmpty)
        {
            Write(select.GroupByDistinct ? " GROUP BY DISTINCT " : " GROUP BY ");
            WriteList(select.GroupBy, WriteExpression);
        }

        if (select.Having is not null)
        {
            Write(" HAVING ");
            WriteExpression(select.Having);
        }

        if (!select.Windows.IsEmpty)
        {
            Write(" WINDOW ");
            WriteList(select.Windows, window =>
            {
                WriteIdent(window.Name);
                Write(" AS ");
                WriteWindowSpecification(window.Specification);
            });
        }
    }

    private void WriteSelectItem(SelectItem item)
    {
        WriteExpression(item.Expression);
        if (item.Alias is not null)
        {
            Write(" AS ");
            WriteIdent(item.Alias);
        }
    }

    private void WriteTableReference(TableReference table)
    {
        switch (table)
        {
            case NamedTableReference named:
                Write(named.Only ? "ONLY " : string.Empty);
                WriteName(named.Name);
                WriteAlias(named.Alias);
                break;
            case SubqueryTableReference subquery:
                Write(subquery.Lateral ? "LATERAL (" : "(");
                WriteQuery(subquery.Query);
                Write(")");
                WriteAlias(subquery.Alias);
                break;
            case FunctionTableReference function:
                Write(function.Lateral ? "LATERAL " : string.Empty);
                WriteExpression(function.Function);
                Write(function.WithOrdinality ? " WITH ORDINALITY" : string.Empty);
                WriteAlias(function.Alias);
                break;
            case JoinTableReference join:
                WriteJoin(join);
                break;
        }
    }

    private void WriteJoin(JoinTableReference join)
    {
        if (join.Alias is not null)
        {
            Write("(");
        }

        WriteTableReference(join.Left);
        Write(join.Natural ? " NATURAL" : string.Empty);
        Write(join.Kind switch
        {
            JoinKind.Inner => " JOIN ",
            JoinKind.Left => " LEFT JOIN ",
            JoinKind.Right => " RIGHT JOIN ",
            JoinKind.Full => " FULL JOIN ",
            _ => " CROSS JOIN ",
        });
        if (join.Right is JoinTableReference { Alias: null })
        {
            Write("(");
            WriteTableReference(join.Right);
            Write(")");
        }
        else
        {
            WriteTableReference(join.Right);
        }

        if (join.Condition is not null)
        {
            Write(" ON ");
            WriteExpression(join.Condition);
        }
        else if (!join.Using.IsEmpty)
        {
            Write(" USING ");
            WriteNames(join.Using);
        }

        if (join.Alias is not null)
        {
            Write(")");
            WriteAlias(join.Alias);
        }
    }

    private void WriteAlias(TableAlias? alias)
    {
        if (alias is null)
        {
            return;
        }

        Write(" AS ");
        WriteIdent(alias.Name);
        if (!alias.Columns.IsEmpty)
        {
            Write(" ");
            WriteNames(alias.Columns);
        }
    }

    private void WriteOrderByItem(OrderByItem item)
    {
        WriteExpression(item.Expression);
        Write(item.Direction switch
        {
            SortDirection.Ascending => " ASC",
            SortDirection.Descending => " DESC",
            SortDirection.Using => " USING " + item.UsingOperator,
            _ => string.Empty,
        });
        Write(item.Nulls switch
        {
            NullsOrder.First => " NULLS FIRST",
            NullsOrder.Last => " NULLS LAST",
            _ => string.Empty,
        });
    }

    private void WriteWindowSpecification(WindowSpecification specification)
    {
        Write("(");
        var parts = 0;
        void Separate()
        {
            if (parts++ > 0)
            {
                Write(" ");
            }
        }

        if (specification.ExistingWindow is not null)
        {
            Separate();
            WriteIdent(specification.ExistingWindow);
        }

        if (!specification.PartitionBy.IsEmpty)
        {
            Separate();
            Write("PARTITION BY ");
            WriteList(specification.PartitionBy, WriteExpression);
        }

        if (!specification.OrderBy.IsEmpty)
        {
            Separate();
            Write("ORDER BY ");
            WriteList(specification.OrderBy, WriteOrderByItem);
        }

        if (specification.Frame is { } frame)
        {
            Separate();
            Write(frame.Unit switch
            {
                FrameUnit.Rows => "ROWS ",
                FrameUnit.Range => "RANGE ",
                _ => "GROUPS ",
            });
            if (frame.End is null)
            {
                WriteFrameBound(frame.Start);
            }
            else
            {
                Write("BETWEEN ");
                WriteFrameBound(frame.Start);
                Write(" AND ");
                WriteFrameBound(frame.End);
            }

            Write(frame.Exclusion switch
            {
                FrameExclusion.CurrentRow => " EXCLUDE CURRENT ROW",
                FrameExclusion.Group => " EXCLUDE GROUP",
                FrameExclusion.Ties => " EXCLUDE TIES",
                _ => string.Empty,
            });
        }

        Write(")");
    }

    private void WriteFrameBound(FrameBound bound)
    {
        switch (bound.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                Write("UNBOUNDED PRECEDING");
                break;
            case FrameBoundKind.UnboundedFollowing:
                Write("UNBOUNDED FOLLOWING");
                break;
            case FrameBoundKind.CurrentRow:
                Write("CURRENT ROW");
                break;
            default:
                WriteExpression(bound.Offset!);
                Write(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                break;
        }
    }
}
