using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Planning;

/// <summary>Name resolution, aggregates and subqueries as the binder meets them.</summary>
internal sealed partial class QueryPlanner
{
    private BoundExpression? Intercept(Expression expression)
    {
        if (expression is FunctionCall { Over: null, Name.Schema: null or "pg_catalog" } call && WindowFunction.Names.Contains(call.Name.Name))
        {
            throw new SqlException(SqlState.WrongObjectType, $"window function {call.Name.Name} requires an OVER clause");
        }

        var frame = _frame;
        if (frame is null)
        {
            return expression is ColumnReference c
                ? throw new SqlException(SqlState.UndefinedColumn, $"column \"{string.Join('.', c.Parts)}\" does not exist")
                : null;
        }

        if (frame.Aggregation is { } aggregation)
        {
            for (var k = 0; k < aggregation.KeySyntax.Count; k++)
            {
                if (aggregation.KeySyntax[k] == expression && expression is not (IntegerLiteral or StringLiteral or NumericLiteral))
                {
                    return new BoundColumn(k, aggregation.Columns[k].Name, aggregation.Keys[k].Type);
                }
            }
        }

        return expression switch
        {
            ColumnReference c => ResolveColumn(c),
            FunctionCall { Over: not null } f => BindWindowCall(f),
            FunctionCall f when IsAggregate(f) => BindAggregate(f),
            FunctionCall f when IsSetReturning(f) => BindSetFunction(f),
            SubqueryExpression s => BindSubquery(SubqueryKind.Scalar, s.Query, null, BinaryOperator.Equal, false),
            ExistsExpression e => BindSubquery(SubqueryKind.Exists, e.Query, null, BinaryOperator.Equal, false),
            ArraySubqueryExpression a => BindSubquery(SubqueryKind.Array, a.Query, null, BinaryOperator.Equal, false),
            InSubqueryExpression i => BindSubquery(SubqueryKind.Any, i.Query, i.Operand, BinaryOperator.Equal, i.Negated),
            QuantifiedComparison { Right: SubqueryExpression s } q =>
                BindSubquery(q.Quantifier == Quantifier.All ? SubqueryKind.All : SubqueryKind.Any, s.Query, q.Left, q.Operator, false),
            StarExpression => throw new SqlException(SqlState.SyntaxError, "* is not allowed here"),
            _ => null,
        };
    }

    private static bool IsAggregate(FunctionCall call) =>
        call.Name.Schema is null or "pg_catalog" && AggregateSpec.Names.Contains(call.Name.Name);

    private BoundExpression ResolveColumn(ColumnReference reference)
    {
        var level = 0;
        for (var frame = _frame; frame is not null; frame = frame.Outer, level++)
        {
            var ordinal = ResolveInFrame(frame, reference, out var type);
            if (ordinal < 0)
            {
                continue;
            }

            if (level == 0)
            {
                return new BoundColumn(ordinal, reference.Name, type);
            }

            // Every query between here and the frame that owns the column now depends on the outer row.
            for (var q = _frame!.Level; q is not null && q != frame.Level; q = q.Enclosing)
            {
                q.Correlated = true;
            }

            return new BoundOuterColumn(level, ordinal, reference.Name, type);
        }

        throw UndefinedColumn(reference);
    }

    /// <summary>
    /// PostgreSQL's error for a name no frame resolves: a qualified one names its relation when that is in scope
    /// (<c>column t.x does not exist</c>), else says the relation is missing from FROM.
    /// </summary>
    private SqlException UndefinedColumn(ColumnReference reference)
    {
        if (reference.Parts.Count < 2)
        {
            return new SqlException(SqlState.UndefinedColumn, $"column \"{reference.Name}\" does not exist");
        }

        var table = reference.Parts[^2];
        for (var frame = _frame; frame is not null; frame = frame.Outer)
        {
            var columns = (frame.Aggregation?.Input ?? frame).Columns;
            if (columns.Any(c => string.Equals(c.Table, table, StringComparison.Ordinal)))
            {
                return new SqlException(SqlState.UndefinedColumn, $"column {string.Join('.', reference.Parts)} does not exist");
            }
        }

        return new SqlException(SqlState.UndefinedTable, $"missing FROM-clause entry for table \"{table}\"");
    }

    /// <summary>The ordinal of <paramref name="reference"/> among the frame's columns, or -1; the column found counts as read (scan pruning).</summary>
    private int ResolveInFrame(Frame frame, ColumnReference reference, out SqlType type)
    {
        if (frame.Aggregation is { } aggregation)
        {
            var input = ResolveInFrame(aggregation.Input, reference, out type);
            if (input < 0)
            {
                return -1;
            }

            for (var k = 0; k < aggregation.Keys.Count; k++)
            {
                if (aggregation.Keys[k] is BoundColumn key && key.Ordinal == input)
                {
                    type = key.Type;
                    return k;
                }
            }

            var column = aggregation.Input.Columns[input];
            throw new SqlException(
                SqlState.GroupingError,
                $"column \"{(column.Table is null ? column.Name : column.Table + "." + column.Name)}\" must appear in the GROUP BY clause or be used in an aggregate function");
        }

        var parts = reference.Parts;
        var name = parts[^1];
        var table = parts.Count >= 2 ? parts[^2] : null;
        var found = -1;
        type = SqlType.Unknown;
        for (var i = 0; i < frame.Columns.Count; i++)
        {
            var column = frame.Columns[i];
            if (column.Name != name || (table is null ? column.Hidden : column.Table != table))
            {
                continue;
            }

            if (found >= 0)
            {
                throw new SqlException(SqlState.AmbiguousColumn, $"column reference \"{string.Join('.', parts)}\" is ambiguous");
            }

            found = i;
            type = column.Type;
        }

        if (found < 0 && table is null)
        {
            // A function item's alias standing for its one result (elem->>'name' over jsonb_array_elements(doc) elem).
            for (var i = 0; i < frame.Columns.Count; i++)
            {
                if (frame.Columns[i] is { AliasNamesValue: true } column && column.Table == name)
                {
                    found = i;
                    type = column.Type;
                    break;
                }
            }
        }

        if (found >= 0)
        {
            _referenced.Add(frame.Columns[found]);
        }

        return found;
    }

    private BoundColumn BindAggregate(FunctionCall call)
    {
        var frame = _frame!;
        if (frame.Aggregation is not { } aggregation)
        {
            throw new SqlException(SqlState.GroupingError, $"aggregate functions are not allowed in {frame.AggregateForbidden ?? "this context"}");
        }

        var existing = aggregation.Syntax.IndexOf(call);
        if (existing >= 0)
        {
            var known = aggregation.Aggregates[existing];
            return new BoundColumn(aggregation.Keys.Count + existing, known.Name, known.Type);
        }

        var name = call.Name.Name;
        _frame = aggregation.Input;
        try
        {
            var spec = BindAggregateSpec(call, name);
            aggregation.Syntax.Add(call);
            aggregation.Aggregates.Add(spec);
            aggregation.Columns.Add(new PlanColumn(null, name, spec.Type));
            return new BoundColumn(aggregation.Keys.Count + aggregation.Aggregates.Count - 1, name, spec.Type);
        }
        finally
        {
            _frame = frame;
        }
    }

    private AggregateSpec BindAggregateSpec(FunctionCall call, string name)
    {
        var input = _frame!;
        var nested = new Frame(input.Outer, input.Columns, input.Level)
        {
            AggregateForbidden = "aggregate function calls",
            SetFunctionsCall = "aggregate function calls",
        };
        _frame = nested;
        var args = call.Arguments.Select(a => _binder.Bind(a.Value)).ToList();
        var direct = new List<BoundExpression>();
        var order = new List<(BoundExpression, bool, bool)>();
        if (call.WithinGroup is { } within)
        {
            // Ordered-set aggregates: the call's arguments are the direct ones; the aggregated value is the WITHIN GROUP key.
            if (name == "mode")
            {
                // mode takes no direct argument and one ordering value of any type.
                if (args.Count != 0 || within.Count != 1)
                {
                    var types = args.Select(a => a.Type).Concat(within.Select(w => _binder.Bind(w.Expression).Type));
                    throw NoAggregate(name, types);
                }
            }
            else if (name is not ("percentile_cont" or "percentile_disc") || within.Count != 1 || args.Count != 1)
            {
                throw new SqlException(SqlState.FeatureNotSupported, $"WITHIN GROUP is not supported for {name}");
            }
            else
            {
                direct.Add(_binder.Coerce(args[0], SqlType.Float8));
            }

            var value = _binder.Bind(within[0].Expression);
            if (name == "percentile_cont" && value.Type.Kind != SqlTypeKind.Interval)
            {
                value = _binder.Coerce(value, SqlType.Float8);
            }
            else if (name == "mode" && value.Type.Kind == SqlTypeKind.Unknown)
            {
                // A bare literal gives the polymorphic result no type; an untyped column of VALUES reads as text.
                value = value is BoundConstant
                    ? throw new SqlException(SqlState.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
                    : _binder.Coerce(value, SqlType.Text);
            }

            args = [value];
            var key = MakeKey(0, within[0]);
            order.Add((value, key.Descending, key.NullsFirst));
        }

        if (call.OrderBy is { } orderBy)
        {
            foreach (var item in orderBy)
            {
                var key = MakeKey(0, item);
                order.Add((_binder.BindTopLevel(item.Expression), key.Descending, key.NullsFirst));
            }
        }

        var argumentType = args.Count > 0 ? args[0].Type : null;
        switch (name)
        {
            case "count":
                if (!call.IsStar && args.Count != 1)
                {
                    throw new SqlException(SqlState.UndefinedFunction, "function count() does not exist");
                }

                break;
            case "sum" or "avg" or "stddev" or "stddev_samp" or "stddev_pop" or "variance" or "var_samp" or "var_pop":
                if (args.Count != 1)
                {
                    throw new SqlException(SqlState.UndefinedFunction, $"function {name} does not exist");
                }

                if (argumentType!.Kind == SqlTypeKind.Unknown)
                {
                    args[0] = _binder.Coerce(args[0], SqlType.Float8);
                }

                break;
            case "string_agg":
                if (args.Count != 2)
                {
                    throw new SqlException(SqlState.UndefinedFunction, "function string_agg requires two arguments");
                }

                args[0] = _binder.Coerce(args[0], SqlType.Text);
                args[1] = _binder.Coerce(args[1], SqlType.Text);
                break;
            case "bool_and" or "bool_or" or "every":
                args[0] = _binder.CoerceToBoolean(args[0], name);
                break;
            case "bit_and" or "bit_or" or "bit_xor":
                if (args.Count != 1)
                {
                    throw NoAggregate(name, args.Select(a => a.Type));
                }

                // An untyped literal could be any of the three integer widths.
                if (argumentType!.Kind == SqlTypeKind.Unknown)
                {
                    throw new SqlException(SqlState.AmbiguousFunction, $"function {name}(unknown) is not unique", "Could not choose a best candidate function. You might need to add explicit type casts.");
                }

                break;
            case "mode" when call.WithinGroup is null:
                throw args.Count == 0
                    ? NoAggregate(name, [])
                    : new SqlException(SqlState.WrongObjectType, $"WITHIN GROUP is required for ordered-set aggregate {name}");
            case "mode":
                break;
            case "corr" or "covar_pop" or "covar_samp" or "regr_avgx" or "regr_avgy" or "regr_count" or "regr_intercept" or "regr_r2"
                or "regr_slope" or "regr_sxx" or "regr_sxy" or "regr_syy":
                // (Y, X), both double precision; any numeric type and untyped literals convert implicitly.
                if (args.Count != 2 || !args.All(a => a.Type.Kind is SqlTypeKind.Unknown or SqlTypeKind.Int2 or SqlTypeKind.Int4
                    or SqlTypeKind.Int8 or SqlTypeKind.Float4 or SqlTypeKind.Float8 or SqlTypeKind.Numeric))
                {
                    throw NoAggregate(name, args.Select(a => a.Type));
                }

                args[0] = _binder.Coerce(args[0], SqlType.Float8);
                args[1] = _binder.Coerce(args[1], SqlType.Float8);
                break;
            default:
                if (args.Count > 0 && args[0].Type.Kind == SqlTypeKind.Unknown)
                {
                    args[0] = _binder.Coerce(args[0], SqlType.Text);
                }

                break;
        }

        var filter = call.Filter is null ? null : _binder.BindCondition(call.Filter, "FILTER");
        var type = AggregateSpec.ResultType(name, args.Count > 0 ? args[0].Type : null);
        return new AggregateSpec(name, args, call.Distinct, filter, order, direct, type, SqlFormatter.Format(call));
    }

    private static SqlException NoAggregate(string name, IEnumerable<SqlType> types) =>
        new(SqlState.UndefinedFunction, $"function {name}({string.Join(", ", types.Select(t => t.DisplayName))}) does not exist", "No function matches the given name and argument types. You might need to add explicit type casts.");

    private BoundSubquery BindSubquery(SubqueryKind kind, QueryExpression query, Expression? operand, BinaryOperator op, bool negated)
    {
        var frame = _frame!;
        BoundExpression? boundOperand = operand is null ? null : _binder.Bind(operand);
        var plan = PlanQuery(query, out var correlated);
        if (kind != SubqueryKind.Exists && plan.Columns.Count != 1)
        {
            throw new SqlException(SqlState.SyntaxError, plan.Columns.Count > 1 ? "subquery has too many columns" : "subquery has too few columns");
        }

        SqlType type;
        if (kind == SubqueryKind.Scalar)
        {
            type = plan.Columns[0].Type;
        }
        else if (kind == SubqueryKind.Array)
        {
            var element = plan.Columns[0].Type;
            if (element.Kind == SqlTypeKind.Unknown)
            {
                plan = CastTo(plan, [SqlType.Text]);
                element = SqlType.Text;
            }

            type = SqlType.ArrayOf(element);
        }
        else if (kind == SubqueryKind.Exists)
        {
            type = SqlType.Boolean;
        }
        else
        {
            // Compare as the binder would compare the operand with a value of the subquery's column type.
            var probe = new BoundColumn(0, plan.Columns[0].Name, plan.Columns[0].Type);
            var (left, right) = _binder.BindComparisonOperands(op, boundOperand!, probe);
            boundOperand = left;
            if (right.Type != plan.Columns[0].Type)
            {
                plan = CastTo(plan, [right.Type]);
            }

            type = SqlType.Boolean;
        }

        return new BoundSubquery(kind, plan, correlated, frame.Columns, boundOperand, op, negated, type);
    }

    /// <summary>Whether any of the expressions calls an aggregate (outside subqueries), found by a trial bind that resolves nothing.</summary>
    private bool ContainsCall(IEnumerable<Expression> expressions, bool windows)
    {
        var found = false;
        SqlBinder? probe = null;
        probe = new SqlBinder(null, _binder.ParameterTypes)
        {
            Interceptor = e => e switch
            {
                ColumnReference or SubqueryExpression or ExistsExpression or ArraySubqueryExpression or InSubqueryExpression or QuantifiedComparison => new BoundConstant(null, SqlType.Unknown),
                FunctionCall { Over: not null } => Found(windows),
                FunctionCall f when IsAggregate(f) => Found(!windows),
                FunctionCall f when IsSetReturning(f) => ProbeArguments(f),
                _ => null,
            },
        };
        foreach (var expression in expressions)
        {
            try
            {
                probe.Bind(expression);
            }
            catch (SqlException)
            {
                // The real bind reports errors; the probe only looks for calls.
            }
        }

        return found;

        BoundConstant Found(bool hit)
        {
            found |= hit;
            return new BoundConstant(null, SqlType.Unknown);
        }

        // A set-returning call binds only in the real pass; its arguments may still hold the calls looked for.
        BoundConstant ProbeArguments(FunctionCall call)
        {
            foreach (var argument in call.Arguments)
            {
                probe!.Bind(argument.Value);
            }

            return new BoundConstant(null, SqlType.Unknown);
        }
    }

    private BoundColumn BindWindowCall(FunctionCall call)
    {
        var frame = _frame!;
        if (frame.Windows is not { } windows)
        {
            throw new SqlException(SqlState.WindowingError, $"window functions are not allowed in {frame.AggregateForbidden ?? "this context"}");
        }

        if (call.Over is not WindowSpecification spec)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "named windows are not supported");
        }

        var name = call.Name.Name;
        var inner = new Frame(frame.Outer, frame.Columns, frame.Level)
        {
            Aggregation = frame.Aggregation,
            AggregateForbidden = frame.AggregateForbidden,
            SetFunctionsCall = "window function calls",
        };
        _frame = inner;
        try
        {
            var partition = spec.PartitionBy.Select(_binder.BindTopLevel).ToArray();
            var order = spec.OrderBy.Select(o =>
            {
                var key = MakeKey(0, o);
                return (_binder.BindTopLevel(o.Expression), key.Descending, key.NullsFirst);
            }).ToArray();
            AggregateSpec? aggregate = null;
            BoundExpression[] args;
            SqlType type;
            if (WindowFunction.Names.Contains(name))
            {
                args = call.Arguments.Select(a => _binder.BindTopLevel(a.Value)).ToArray();
                type = name switch
                {
                    "row_number" or "rank" or "dense_rank" => SqlType.Int8,
                    "percent_rank" or "cume_dist" => SqlType.Float8,
                    "ntile" => SqlType.Int4,
                    _ when args.Length > 0 => args[0].Type,
                    _ => throw new SqlException(SqlState.UndefinedFunction, $"function {name}() does not exist"),
                };
                if (name is "lag" or "lead" && args.Length == 3)
                {
                    args[2] = _binder.Coerce(args[2], args[0].Type);
                }

                if (name is "lag" or "lead" && args.Length >= 2)
                {
                    args[1] = _binder.Coerce(args[1], SqlType.Int4);
                }
            }
            else if (IsAggregate(call))
            {
                if (call.WithinGroup is not null)
                {
                    throw new SqlException(SqlState.FeatureNotSupported, $"OVER is not supported for ordered-set aggregate {name}");
                }

                aggregate = BindAggregateSpec(call with { Over = null }, name);
                _frame = inner;
                args = [];
                type = aggregate.Type;
            }
            else
            {
                throw new SqlException(SqlState.WrongObjectType, $"OVER specified, but {name} is not a window function nor an aggregate function");
            }

            windows.Functions.Add(new WindowFunction(name, args, partition, order, spec.Frame, aggregate, type, SqlFormatter.Format(call)));
            return new BoundColumn(WindowScope.Base + windows.Functions.Count - 1, name, type);
        }
        finally
        {
            _frame = frame;
        }
    }

    /// <summary>GROUP BY state: key expressions over the input, aggregates found while binding the clauses above it.</summary>
    private sealed class AggregateScope(Frame input)
    {
        public Frame Input { get; } = input;

        public List<Expression> KeySyntax { get; } = [];

        public List<BoundExpression> Keys { get; } = [];

        public List<FunctionCall> Syntax { get; } = [];

        public List<AggregateSpec> Aggregates { get; } = [];

        public List<PlanColumn> Columns { get; } = [];
    }
}
