using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Binding;

/// <summary>
/// Turns parsed expressions into typed <see cref="BoundExpression"/> trees: resolves columns, infers
/// parameter and literal types, picks operators and functions by PostgreSQL's rules, and folds casts
/// of literals. One binder serves one statement, so parameter types accumulate across its expressions.
/// </summary>
public sealed partial class SqlBinder
{
    private const string OperatorHint = "No operator matches the given name and argument types. You might need to add explicit type casts.";
    private const string FunctionHint = "No function matches the given name and argument types. You might need to add explicit type casts.";

    private readonly IColumnResolver _columns;
    private readonly List<SqlType> _parameterTypes = [];

    // Where each untyped literal was written, for errors converting it (see Literal).
    private Dictionary<BoundConstant, int>? _literalPositions;

    /// <summary>Creates a binder over a column scope; <paramref name="parameterTypes"/> are types the client declared (Parse message), unknown where 0.</summary>
    public SqlBinder(IColumnResolver? columns = null, IReadOnlyList<SqlType>? parameterTypes = null)
    {
        _columns = columns ?? ColumnList.Empty;
        if (parameterTypes is not null)
        {
            _parameterTypes.AddRange(parameterTypes);
        }
    }

    /// <summary>The parameter types as inferred so far; parameters nothing constrained are text, as PostgreSQL reports them.</summary>
    public IReadOnlyList<SqlType> ParameterTypes =>
        _parameterTypes.Select(t => t.Kind == SqlTypeKind.Unknown ? SqlType.Text : t).ToArray();

    /// <summary>Binds one expression; an untyped literal that is still unknown at the top becomes text.</summary>
    public BoundExpression BindTopLevel(Expression expression)
    {
        var bound = Bind(expression);
        return bound.Type.Kind == SqlTypeKind.Unknown ? Coerce(bound, SqlType.Text) : bound;
    }

    /// <summary>Consulted before the built-in rules; the planner resolves columns, aggregates and subqueries through it.</summary>
    internal Func<Expression, BoundExpression?>? Interceptor { get; set; }

    /// <summary>Binds a condition (WHERE, HAVING, JOIN/ON, CASE/WHEN, FILTER, AND/OR operands) as boolean; a type error points at it.</summary>
    internal BoundExpression BindCondition(Expression condition, string construct) => At(condition, () => CoerceToBoolean(Bind(condition), construct));

    /// <summary>
    /// Runs <paramref name="bind"/>, pointing an error it raises without a position at where
    /// <paramref name="node"/> was written.
    /// </summary>
    internal static T At<T>(SyntaxNode node, Func<T> bind)
    {
        try
        {
            return bind();
        }
        catch (SqlException e) when (e.PointsAtSyntax && node.Span.Length > 0)
        {
            throw e.WithPosition(node.Span.Position);
        }
    }

    /// <summary>An untyped literal; where it was written is kept, so that a failed conversion points at it.</summary>
    private BoundConstant Literal(StringLiteral literal)
    {
        var constant = new BoundConstant(literal.Value, SqlType.Unknown);
        if (literal.Span.Length > 0)
        {
            (_literalPositions ??= new Dictionary<BoundConstant, int>(ReferenceEqualityComparer.Instance))[constant] = literal.Span.Position;
        }

        return constant;
    }

    /// <summary>An operator's errors (no such operator, operand types) point at the operator, as in PostgreSQL.</summary>
    private BoundExpression BindOperator(BinaryExpression binary)
    {
        var left = Bind(binary.Left);
        var right = Bind(binary.Right);
        try
        {
            return BindBinary(binary.Operator, left, right);
        }
        catch (SqlException e) when (e.PointsAtSyntax && binary.OperatorSpan.Length > 0)
        {
            throw e.WithPosition(binary.OperatorSpan.Position);
        }
    }

    /// <summary>Binds one expression, leaving untyped literals as <see cref="SqlType.Unknown"/>.</summary>
    public BoundExpression Bind(Expression expression)
    {
        try
        {
            return Interceptor?.Invoke(expression) ?? BindCore(expression);
        }
        catch (SqlException e) when (e.PointsAtSyntax && expression.Span.Length > 0)
        {
            // The innermost expression written in the statement that fails is where the error points, as in
            // PostgreSQL; expressions the planner builds itself have no span and leave it to an enclosing one.
            throw e.WithPosition(expression.Span.Position);
        }
    }

    private BoundExpression BindCore(Expression expression) => expression switch
    {
        IntegerLiteral i => i.Value is >= int.MinValue and <= int.MaxValue
            ? new BoundConstant((int)i.Value, SqlType.Int4)
            : new BoundConstant(i.Value, SqlType.Int8),
        NumericLiteral n => new BoundConstant(SqlText.Parse(n.Text, SqlType.Numeric), SqlType.Numeric),
        StringLiteral s => Literal(s),
        BooleanLiteral b => new BoundConstant(b.Value, SqlType.Boolean),
        NullLiteral => new BoundConstant(null, SqlType.Unknown),
        TypedLiteral t => BindTypedLiteral(t),
        ParameterReference p => BindParameter(p),
        ColumnReference c => BindColumn(c),
        CastExpression c when RegTypes.IsRegType(c.Type) => BindRegCast(Bind(c.Operand), c.Type),
        CastExpression c => BindCast(Bind(c.Operand), At(c.Type, () => SqlType.FromTypeName(c.Type))),
        UnaryExpression u => BindUnary(u),
        BinaryExpression { Operator: BinaryOperator.And or BinaryOperator.Or } b => new BoundLogical(
            b.Operator == BinaryOperator.And, BindCondition(b.Left, b.Operator == BinaryOperator.And ? "AND" : "OR"), BindCondition(b.Right, b.Operator == BinaryOperator.And ? "AND" : "OR")),
        BinaryExpression b => BindOperator(b),
        IsExpression i => BindIs(i),
        IsDistinctFromExpression d => BindIsDistinct(d),
        BetweenExpression b => BindBetween(b),
        InListExpression i => BindInList(i),
        LikeExpression { Kind: LikeKind.SimilarTo } similar => BindSimilarTo(similar),
        LikeExpression l => BindLike(l),
        CaseExpression c => BindCase(c),
        FunctionCall f => BindFunction(f),
        ExtractExpression e => BindExtract(e.Field, Bind(e.Source), ScalarFunction.Extract),
        SqlValueFunction v => BindValueFunction(v),
        CollateExpression c => BindCollate(c),
        ArrayExpression a => BindArrayConstructor(a),
        SubscriptExpression s => BindSubscript(s),
        QuantifiedComparison q => BindQuantifiedArray(q),
        CustomOperatorExpression c => BindMathPrefixOperator(c) ?? BindCustomOperator(c),
        AtTimeZoneExpression a => BindAtTimeZone(a),
        _ => throw new SqlException(SqlState.FeatureNotSupported, $"expression not supported yet: {SqlFormatter.Format(expression)}"),
    };

    private static BoundConstant BindTypedLiteral(TypedLiteral literal)
    {
        var type = SqlType.FromTypeName(literal.Type);
        return new BoundConstant(SqlText.Parse(literal.Value, type), type);
    }

    private BoundParameter BindParameter(ParameterReference parameter)
    {
        while (_parameterTypes.Count < parameter.Index)
        {
            _parameterTypes.Add(SqlType.Unknown);
        }

        return new BoundParameter(parameter.Index, _parameterTypes[parameter.Index - 1]);
    }

    private BoundColumn BindColumn(ColumnReference column)
    {
        if (!_columns.TryResolve(column.Parts, out var ordinal, out var type))
        {
            throw new SqlException(SqlState.UndefinedColumn, $"column \"{string.Join('.', column.Parts)}\" does not exist");
        }

        return new BoundColumn(ordinal, column.Name, type);
    }

    /// <summary>Binds an explicit cast; casts of literals are done now, as PostgreSQL folds them.</summary>
    public BoundExpression BindCast(BoundExpression operand, SqlType target)
    {
        if (operand is BoundParameter p && p.Type.Kind == SqlTypeKind.Unknown)
        {
            return Coerce(p, target);
        }

        if (!SqlCasts.CanCast(operand.Type, target))
        {
            throw new SqlException(SqlState.CannotCoerce, $"cannot cast type {operand.Type.DisplayName} to {target.DisplayName}");
        }

        if (operand is BoundConstant c)
        {
            return new BoundConstant(c.Value is null ? null : SqlCasts.Convert(c.Value, c.Type, target), target);
        }

        return operand.Type == target ? operand : new BoundCast(operand, target, IsExplicit: true);
    }

    /// <summary>Implicitly converts <paramref name="expression"/> to <paramref name="target"/>: fixes unknown literals and parameters, inserts casts for widening.</summary>
    internal BoundExpression Coerce(BoundExpression expression, SqlType target)
    {
        if (expression.Type == target)
        {
            return expression;
        }

        switch (expression)
        {
            case BoundConstant { Type.Kind: SqlTypeKind.Unknown } c:
                try
                {
                    return new BoundConstant(c.Value is null ? null : SqlText.Parse((string)c.Value, target), target);
                }
                catch (SqlException e) when (e.PointsAtSyntax && _literalPositions is not null && _literalPositions.TryGetValue(c, out var position))
                {
                    throw e.WithPosition(position);
                }

            case BoundParameter { Type.Kind: SqlTypeKind.Unknown } p:
                _parameterTypes[p.Index - 1] = target;
                return p with { Type = target };
            case BoundConstant c when SqlTypeCoercion.CanImplicitlyCast(c.Type, target):
                return new BoundConstant(c.Value is null ? null : SqlCasts.Convert(c.Value, c.Type, target, explicitCast: false), target);
        }

        if (!SqlTypeCoercion.CanImplicitlyCast(expression.Type, target))
        {
            throw new SqlException(SqlState.DatatypeMismatch, $"cannot convert type {expression.Type.DisplayName} to {target.DisplayName} implicitly");
        }

        return new BoundCast(expression, target, IsExplicit: false);
    }

    internal BoundExpression CoerceToBoolean(BoundExpression expression, string construct)
    {
        if (expression.Type.Kind is SqlTypeKind.Boolean or SqlTypeKind.Unknown)
        {
            return Coerce(expression, SqlType.Boolean);
        }

        throw new SqlException(SqlState.DatatypeMismatch, $"argument of {construct} must be type boolean, not type {expression.Type.DisplayName}");
    }

    private BoundExpression BindUnary(UnaryExpression unary)
    {
        var operand = Bind(unary.Operand);
        switch (unary.Operator)
        {
            case UnaryOperator.Not:
                return new BoundNot(CoerceToBoolean(operand, "NOT"));
            case UnaryOperator.Plus or UnaryOperator.Negate:
                if (operand.Type.Kind == SqlTypeKind.Unknown)
                {
                    operand = Coerce(operand, SqlType.Float8);
                }

                if (operand.Type.Category != SqlTypeCategory.Numeric && operand.Type.Kind != SqlTypeKind.Interval)
                {
                    throw new SqlException(
                        SqlState.UndefinedFunction,
                        $"operator does not exist: {(unary.Operator == UnaryOperator.Negate ? "-" : "+")} {operand.Type.DisplayName}",
                        OperatorHint);
                }

                if (unary.Operator == UnaryOperator.Plus)
                {
                    return operand;
                }

                return operand is BoundConstant { Value: not null } c && c.Type.Category == SqlTypeCategory.Numeric
                    ? new BoundConstant(NegateConstant(c), c.Type)
                    : new BoundNegate(operand);
            case UnaryOperator.BitwiseNot:
                return BindBitwiseNot(operand);
            default:
                throw new SqlException(SqlState.FeatureNotSupported, $"operator not supported yet: {unary.Operator}");
        }
    }

    private static object NegateConstant(BoundConstant constant)
    {
        try
        {
            return constant.Value switch
            {
                short s => (object)checked((short)-s),
                int i => (object)checked(-i),
                long l => (object)checked(-l),
                float f => (object)(-f),
                double d => (object)(-d),
                decimal m => (object)(-m),
                _ => throw new SqlException(SqlState.InternalError, "unexpected constant"),
            };
        }
        catch (OverflowException)
        {
            throw new SqlException(SqlState.NumericValueOutOfRange, $"{constant.Type.DisplayName} out of range");
        }
    }

    private BoundExpression BindIs(IsExpression expression)
    {
        var operand = Bind(expression.Operand);
        if (expression.Test == IsTest.Null)
        {
            // A parameter tested for NULL stays untyped, so a later use in the statement can still fix its type.
            var tested = operand is BoundConstant { Type.Kind: SqlTypeKind.Unknown } ? Coerce(operand, SqlType.Text) : operand;
            return new BoundNullTest(tested, expression.Negated);
        }

        var construct = expression.Test switch
        {
            IsTest.True => "IS TRUE",
            IsTest.False => "IS FALSE",
            _ => "IS UNKNOWN",
        };
        return new BoundBooleanTest(CoerceToBoolean(operand, expression.Negated ? construct.Replace("IS ", "IS NOT ", StringComparison.Ordinal) : construct), expression.Test, expression.Negated);
    }

    private BoundIsDistinct BindIsDistinct(IsDistinctFromExpression expression)
    {
        var (left, right) = BindComparisonOperands(BinaryOperator.Equal, Bind(expression.Left), Bind(expression.Right));
        return new BoundIsDistinct(left, right, expression.Negated);
    }

    private BoundExpression BindBetween(BetweenExpression between)
    {
        // x BETWEEN a AND b is x >= a AND x <= b; SYMMETRIC also accepts the bounds the other way round.
        var operand = Bind(between.Operand);
        var low = Bind(between.Low);
        var high = Bind(between.High);
        BoundExpression result = new BoundLogical(
            IsAnd: true,
            BindBinary(BinaryOperator.GreaterThanOrEqual, operand, low),
            BindBinary(BinaryOperator.LessThanOrEqual, operand, high));
        if (between.Symmetric)
        {
            result = new BoundLogical(
                IsAnd: false,
                result,
                new BoundLogical(IsAnd: true, BindBinary(BinaryOperator.GreaterThanOrEqual, operand, high), BindBinary(BinaryOperator.LessThanOrEqual, operand, low)));
        }

        return between.Negated ? new BoundNot(result) : result;
    }

    private BoundInList BindInList(InListExpression expression)
    {
        var operand = Bind(expression.Operand);
        var items = expression.Items.Select(Bind).ToList();
        var type = ResolveCommon([operand, .. items], "IN");
        return new BoundInList(Coerce(operand, type), items.Select(i => Coerce(i, type)).ToArray(), expression.Negated);
    }

    private BoundLike BindLike(LikeExpression like)
    {
        var operand = Bind(like.Operand);
        var pattern = Bind(like.Pattern);
        if (operand.Type.Category is not (SqlTypeCategory.String or SqlTypeCategory.Unknown) || pattern.Type.Category is not (SqlTypeCategory.String or SqlTypeCategory.Unknown))
        {
            var op = (like.Negated ? "!" : string.Empty) + (like.Kind == LikeKind.ILike ? "~~*" : "~~");
            throw new SqlException(SqlState.UndefinedFunction, $"operator does not exist: {operand.Type.DisplayName} {op} {pattern.Type.DisplayName}", OperatorHint);
        }

        var escape = like.Escape is null ? null : Coerce(Bind(like.Escape), SqlType.Text);
        return new BoundLike(Coerce(operand, SqlType.Text), Coerce(pattern, SqlType.Text), escape, like.Kind == LikeKind.ILike, like.Negated);
    }

    private BoundCase BindCase(CaseExpression expression)
    {
        var operand = expression.Operand is null ? null : Bind(expression.Operand);
        var conditions = new List<BoundExpression>();
        var results = new List<BoundExpression>();
        foreach (var when in expression.Whens)
        {
            var condition = operand is null
                ? BindCondition(when.Condition, "CASE/WHEN")
                : BindBinary(BinaryOperator.Equal, operand, Bind(when.Condition));
            conditions.Add(condition);
            results.Add(Bind(when.Result));
        }

        var elseResult = expression.Else is null ? null : Bind(expression.Else);
        var type = ResolveCommon(elseResult is null ? results : [.. results, elseResult], "CASE");
        var whens = conditions.Select((c, i) => new BoundWhen(c, Coerce(results[i], type))).ToArray();
        return new BoundCase(whens, elseResult is null ? null : Coerce(elseResult, type), type);
    }

    internal static SqlType ResolveCommon(IReadOnlyList<BoundExpression> expressions, string context)
    {
        var type = SqlTypeCoercion.ResolveCommonType(expressions.Select(e => e.Type).ToArray(), context, out var error);
        return type ?? throw new SqlException(SqlState.DatatypeMismatch, error!);
    }

    private static string FormatArguments(IEnumerable<BoundExpression> arguments) =>
        string.Join(", ", arguments.Select(a => a.Type.DisplayName));

    /// <summary>
    /// Text compares byte-wise (the C collation) everywhere, so the collations that name that order or the
    /// database default are accepted and change nothing; others are refused rather than silently ignored.
    /// </summary>
    private BoundExpression BindCollate(CollateExpression collate)
    {
        var name = collate.Collation.Name;
        if (name is not ("default" or "C" or "POSIX" or "ucs_basic"))
        {
            throw new SqlException(SqlState.FeatureNotSupported, $"collation \"{name}\" is not supported; text compares in the C collation");
        }

        var operand = Bind(collate.Operand);
        return operand.Type.Kind == SqlTypeKind.Unknown ? Coerce(operand, SqlType.Text) : operand;
    }
}
