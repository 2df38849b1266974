using System.Globalization;

namespace LumaDB.Query.Sql.Syntax;

/// <summary>Expression printing with precedence-driven parentheses.</summary>
public sealed partial class SqlFormatter
{
    // Function names that are keywords yet read back as calls without quotes.
    private static readonly HashSet<string> KeywordFunctions = new(StringComparer.Ordinal)
    {
        "coalesce", "nullif", "greatest", "least", "grouping", "substring", "position", "overlay",
        "left", "right", "current_schema",
    };

    private static int PrecedenceOf(Expression expression) => expression switch
    {
        BinaryExpression binary => SqlOperators.Precedence(binary.Operator),
        CustomOperatorExpression => SqlPrecedence.OtherOperator,
        UnaryExpression { Operator: UnaryOperator.Not } => SqlPrecedence.Not,
        UnaryExpression { Operator: UnaryOperator.BitwiseNot } => SqlPrecedence.OtherOperator,
        UnaryExpression => SqlPrecedence.Unary,
        IsExpression or IsDistinctFromExpression => SqlPrecedence.Is,
        BetweenExpression or InListExpression or InSubqueryExpression or LikeExpression => SqlPrecedence.Like,
        QuantifiedComparison quantified => SqlOperators.Precedence(quantified.Operator),
        AtTimeZoneExpression => SqlPrecedence.AtTimeZone,
        CollateExpression => SqlPrecedence.Collate,
        CastExpression { IsOperatorSyntax: true } or SubscriptExpression or FieldSelectionExpression => SqlPrecedence.Postfix,
        IntegerLiteral { Value: < 0 } => SqlPrecedence.Unary,
        NumericLiteral numeric when numeric.Text.StartsWith('-') => SqlPrecedence.Unary,
        _ => SqlPrecedence.Atom,
    };

    private void WriteExpression(Expression expression, int minPrecedence)
    {
        if (PrecedenceOf(expression) < minPrecedence)
        {
            _out.Append('(');
            WriteExpression(expression);
            _out.Append(')');
        }
        else
        {
            WriteExpression(expression);
        }
    }

    private void WriteExpression(Expression expression)
    {
        switch (expression)
        {
            case IntegerLiteral integer:
                WriteInt(integer.Value);
                break;
            case NumericLiteral numeric:
                Write(numeric.Text);
                break;
            case StringLiteral text:
                Write(QuoteString(text.Value));
                break;
            case BitStringLiteral bits:
                Write((bits.IsHex ? "X'" : "B'") + bits.Digits + "'");
                break;
            case BooleanLiteral boolean:
                Write(boolean.Value ? "TRUE" : "FALSE");
                break;
            case NullLiteral:
                Write("NULL");
                break;
            case DefaultExpression:
                Write("DEFAULT");
                break;
            case TypedLiteral typed:
                WriteTypedLiteral(typed);
                break;
            case ParameterReference parameter:
                Write("$" + parameter.Index.ToString(CultureInfo.InvariantCulture));
                break;
            case ColumnReference column:
                WriteList(column.Parts, WriteIdent, ".");
                break;
            case StarExpression star:
                if (star.Qualifier is not null)
                {
                    WriteName(star.Qualifier);
                    _out.Append('.');
                }

                _out.Append('*');
                break;
            case BinaryExpression binary:
                WriteBinary(binary);
                break;
            case UnaryExpression unary:
                WriteUnary(unary);
                break;
            case CustomOperatorExpression custom:
                if (custom.Left is not null)
                {
                    WriteExpression(custom.Left, SqlPrecedence.OtherOperator);
                    Write(" ");
                }

                Write(custom.Operator + " ");
                WriteExpression(custom.Right, SqlPrecedence.OtherOperator + 1);
                break;
            case IsExpression test:
                WriteExpression(test.Operand, SqlPrecedence.Is + 1);
                Write(test.Negated ? " IS NOT " : " IS ");
                Write(test.Test switch
                {
                    IsTest.Null => "NULL",
                    IsTest.True => "TRUE",
                    IsTest.False => "FALSE",
                    _ => "UNKNOWN",
                });
                break;
            case IsDistinctFromExpression distinct:
                WriteExpression(distinct.Left, SqlPrecedence.Is + 1);
                Write(distinct.Negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
                WriteExpression(distinct.Right, SqlPrecedence.Is + 1);
                break;
            case BetweenExpression between:
                WriteExpression(between.Operand, SqlPrecedence.Like + 1);
                Write(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                Write(between.Symmetric ? "SYMMETRIC " : string.Empty);
                WriteExpression(between.Low, SqlPrecedence.Like + 1);
                Write(" AND ");
                WriteExpression(between.High, SqlPrecedence.Like + 1);
                break;
            case InListExpression inList:
                WriteExpression(inList.Operand, SqlPrecedence.Like + 1);
                Write(inList.Negated ? " NOT IN (" : " IN (");
                WriteList(inList.Items, WriteExpression);
                Write(")");
                break;
            case InSubqueryExpression inQuery:
                WriteExpression(inQuery.Operand, SqlPrecedence.Like + 1);
                Write(inQuery.Negated ? " NOT IN (" : " IN (");
                WriteQuery(inQuery.Query);
                Write(")");
                break;
            case LikeExpression like:
                WriteExpression(like.Operand, SqlPrecedence.Like + 1);
                Write(like.Negated ? " NOT " : " ");
                Write(like.Kind switch
                {
                    LikeKind.Like => "LIKE ",
                    LikeKind.ILike => "ILIKE ",
                    _ => "SIMILAR TO ",
                });
                WriteExpression(like.Pattern, SqlPrecedence.Like + 1);
                if (like.Escape is not null)
                {
                    Write(" ESCAPE ");
                    WriteExpression(like.Escape, SqlPrecedence.Like + 1);
                }

                break;
            case CaseExpression caseExpression:
                WriteCase(caseExpression);
                break;
            case CastExpression cast:
                if (cast.IsOperatorSyntax)
                {
                    WriteExpression(cast.Operand, SqlPrecedence.Postfix);
                    Write("::");
                    WriteType(cast.Type);
                }
                else
                {
                    Write("CAST(");
                    WriteExpression(cast.Operand);
                    Write(" AS ");
                    WriteType(cast.Type);
                    Write(")");
                }

                break;
            case FunctionCall call:
                WriteFunctionCall(call);
                break;
            case ExtractExpression extract:
                Write("EXTRACT(");
                WriteIdent(extract.Field);
                Write(" FROM ");
                WriteExpression(extract.Source);
                Write(")");
                break;
            case SubqueryExpression subquery:
                Write("(");
                WriteQuery(subquery.Query);
                Write(")");
                break;
            case ExistsExpression exists:
                Write("EXISTS (");
                WriteQuery(exists.Query);
                Write(")");
                break;
            case QuantifiedComparison quantified:
                {
                    var precedence = SqlOperators.Precedence(quantified.Operator);
                    WriteExpression(quantified.Left, precedence == SqlPrecedence.Comparison ? precedence + 1 : precedence);
                    Write(" " + SqlOperators.Symbol(quantified.Operator) + (quantified.Quantifier == Quantifier.All ? " ALL " : " ANY "));
                    if (quantified.Right is SubqueryExpression)
                    {
                        WriteExpression(quantified.Right);
                    }
                    else
                    {
                        Write("(");
                        WriteExpression(quantified.Right);
                        Write(")");
                    }

                    break;
                }

            case ArrayExpression array:
                Write("ARRAY[");
                WriteList(array.Elements, WriteExpression);
                Write("]");
                break;
            case ArraySubqueryExpression arrayQuery:
                Write("ARRAY(");
                WriteQuery(arrayQuery.Query);
                Write(")");
                break;
            case SubscriptExpression subscript:
                WriteExpression(subscript.Operand, SqlPrecedence.Postfix);
                Write("[");
                if (subscript.Lower is not null)
                {
                    WriteExpression(subscript.Lower);
                }

                if (subscript.IsSlice)
                {
                    Write(":");
                    if (subscript.Upper is not null)
                    {
                        WriteExpression(subscript.Upper);
                    }
                }

                Write("]");
                break;
            case RowExpression row:
                Write(row.HasRowKeyword || row.Fields.Count < 2 ? "ROW(" : "(");
                WriteList(row.Fields, WriteExpression);
                Write(")");
                break;
            case FieldSelectionExpression field:
                Write("(");
                WriteExpression(field.Operand);
                Write(").");
                if (field.Field is null)
                {
                    Write("*");
                }
                else
                {
                    WriteIdent(field.Field);
                }

                break;
            case SqlValueFunction valueFunction:
                WriteValueFunction(valueFunction);
                break;
            case CollateExpression collate:
                WriteExpression(collate.Operand, SqlPrecedence.Collate);
                Write(" COLLATE ");
                WriteName(collate.Collation);
                break;
            case AtTimeZoneExpression atTimeZone:
                WriteExpression(atTimeZone.Operand, SqlPrecedence.AtTimeZone);
                if (atTimeZone.Zone is null)
                {
                    Write(" AT LOCAL");
                }
                else
                {
                    Write(" AT TIME ZONE ");
                    WriteExpression(atTimeZone.Zone, SqlPrecedence.AtTimeZone + 1);
                }

                break;
            case GroupingSetExpression grouping:
                Write(grouping.Kind switch
                {
                    GroupingSetKind.Rollup => "ROLLUP (",
                    GroupingSetKind.Cube => "CUBE (",
                    GroupingSetKind.Sets => "GROUPING SETS (",
                    _ => "(",
                });
                WriteList(grouping.Items, WriteExpression);
                Write(")");
                break;
            default:
                throw new ArgumentException("No SQL form for " + expression.GetType().Name, nameof(expression));
        }
    }

    private void WriteBinary(BinaryExpression binary)
    {
        var precedence = SqlOperators.Precedence(binary.Operator);

        // Comparisons do not associate in PostgreSQL, so a nested comparison is always parenthesized.
        var leftMin = precedence == SqlPrecedence.Comparison ? precedence + 1 : precedence;
        WriteExpression(binary.Left, leftMin);
        Write(" " + SqlOperators.Symbol(binary.Operator) + " ");
        WriteExpression(binary.Right, precedence + 1);
    }

    private void WriteUnary(UnaryExpression unary)
    {
        switch (unary.Operator)
        {
            case UnaryOperator.Not:
                Write("NOT ");
                WriteExpression(unary.Operand, SqlPrecedence.Not);
                return;
            case UnaryOperator.BitwiseNot:
                Write("~ ");
                WriteExpression(unary.Operand, SqlPrecedence.OtherOperator + 1);
                return;
        }

        Write(unary.Operator == UnaryOperator.Negate ? "-" : "+");
        var at = _out.Length;
        WriteExpression(unary.Operand, SqlPrecedence.Unary);
        if (_out.Length > at && _out[at] is '-' or '+')
        {
            // "--" would start a comment and "-+" would lex as one operator.
            _out.Insert(at, ' ');
        }
    }

    private void WriteTypedLiteral(TypedLiteral typed)
    {
        var type = typed.Type;
        if (type.Name.Parts.Count == 1 && type.Name.Name == "interval")
        {
            Write("INTERVAL");
            if (type.IntervalFields is null && !type.Modifiers.IsEmpty)
            {
                Write("(" + type.Modifiers[0].ToString(CultureInfo.InvariantCulture) + ")");
            }

            Write(" " + QuoteString(typed.Value));
            if (type.IntervalFields is not null)
            {
                Write(" " + type.IntervalFields);
                if (!type.Modifiers.IsEmpty)
                {
                    Write("(" + type.Modifiers[0].ToString(CultureInfo.InvariantCulture) + ")");
                }
            }

            return;
        }

        WriteType(type);
        Write(" " + QuoteString(typed.Value));
    }

    private void WriteCase(CaseExpression caseExpression)
    {
        Write("CASE");
        if (caseExpression.Operand is not null)
        {
            Write(" ");
            WriteExpression(caseExpression.Operand);
        }

        foreach (var when in caseExpression.Whens)
        {
            Write(" WHEN ");
            WriteExpression(when.Condition);
            Write(" THEN ");
            WriteExpression(when.Result);
        }

        if (caseExpression.Else is not null)
        {
            Write(" ELSE ");
            WriteExpression(caseExpression.Else);
        }

        Write(" END");
    }

    private void WriteFunctionCall(FunctionCall call)
    {
        if (call.Name.Parts.Count == 1 && KeywordFunctions.Contains(call.Name.Name))
        {
            Write(call.Name.Name);
        }
        else
        {
            WriteName(call.Name);
        }

        Write("(");
        if (call.IsStar)
        {
            Write("*");
        }
        else
        {
            if (call.Distinct)
            {
                Write("DISTINCT ");
            }

            WriteList(call.Arguments, argument =>
            {
                if (argument.Name is not null)
                {
                    WriteIdent(argument.Name);
                    Write(" => ");
                }

                WriteExpression(argument.Value);
            });
            if (call.OrderBy is { IsEmpty: false } orderBy)
            {
                Write(" ORDER BY ");
                WriteList(orderBy, WriteOrderByItem);
            }
        }

        Write(")");
        if (call.WithinGroup is { IsEmpty: false } withinGroup)
        {
            Write(" WITHIN GROUP (ORDER BY ");
            WriteList(withinGroup, WriteOrderByItem);
            Write(")");
        }

        if (call.Filter is not null)
        {
            Write(" FILTER (WHERE ");
            WriteExpression(call.Filter);
            Write(")");
        }

        switch (call.Over)
        {
            case NamedWindowReference named:
                Write(" OVER ");
                WriteIdent(named.Name);
                break;
            case WindowSpecification specification:
                Write(" OVER ");
                WriteWindowSpecification(specification);
                break;
        }
    }

    private void WriteValueFunction(SqlValueFunction function)
    {
        Write(function.Kind switch
        {
            SqlValueFunctionKind.CurrentDate => "CURRENT_DATE",
            SqlValueFunctionKind.CurrentTime => "CURRENT_TIME",
            SqlValueFunctionKind.CurrentTimestamp => "CURRENT_TIMESTAMP",
            SqlValueFunctionKind.LocalTime => "LOCALTIME",
            SqlValueFunctionKind.LocalTimestamp => "LOCALTIMESTAMP",
            SqlValueFunctionKind.CurrentUser => "CURRENT_USER",
            SqlValueFunctionKind.CurrentRole => "CURRENT_ROLE",
            SqlValueFunctionKind.SessionUser => "SESSION_USER",
            SqlValueFunctionKind.User => "USER",
            SqlValueFunctionKind.SystemUser => "SYSTEM_USER",
            SqlValueFunctionKind.CurrentCatalog => "CURRENT_CATALOG",
            _ => "CURRENT_SCHEMA",
        });
        if (function.Precision is { } precision)
        {
            Write("(" + precision.ToString(CultureInfo.InvariantCulture) + ")");
        }
    }
}
