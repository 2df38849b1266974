using LumaDB.Query.Sql.Syntax;

namespace LumaDB.Query.Sql.Parser;

/// <summary>Queries: WITH, SELECT blocks, VALUES, set operations, ORDER BY, LIMIT/OFFSET/FETCH and locking.</summary>
public sealed partial class SqlParser
{
    private const int UnionPrecedence = 1;
    private const int IntersectPrecedence = 2;

    private QueryExpression ParseQuery()
    {
        Enter();
        try
        {
            var start = StartOf;
            var with = AtKeyword("with") ? ParseWithClause() : null;
            var body = ParseSetExpression(UnionPrecedence);
            var orderBy = AcceptKeywords("order", "by") ? ParseOrderByList() : SyntaxList<OrderByItem>.Empty;
            Expression? limit = null;
            Expression? offset = null;
            var withTies = false;
            var seenLimit = false;
            var seenOffset = false;
            var locking = new List<LockingClause>();
            while (true)
            {
                if (!seenLimit && AcceptKeyword("limit"))
                {
                    seenLimit = true;
                    if (!AcceptKeyword("all"))
                    {
                        limit = ParseExpr();
                    }
                }
                else if (!seenLimit && AtKeyword("fetch"))
                {
                    seenLimit = true;
                    (limit, withTies) = ParseFetch();
                }
                else if (!seenOffset && AcceptKeyword("offset"))
                {
                    seenOffset = true;
                    offset = ParseExpr();
                    if (!AcceptKeyword("row"))
                    {
                        AcceptKeyword("rows");
                    }
                }
                else if (AtKeyword("for"))
                {
                    // PostgreSQL accepts the locking clause before or after LIMIT/OFFSET.
                    locking.Add(ParseLockingClause());
                }
                else
                {
                    break;
                }
            }

            if (body is ParenthesizedQueryBody parenthesized && with is null && orderBy.IsEmpty && !seenLimit && !seenOffset && locking.Count == 0)
            {
                return parenthesized.Query;
            }

            return new QueryExpression(with, body, orderBy, limit, offset, withTies, locking.Count == 0 ? null : SyntaxList.From(locking)) { Span = SpanFrom(start) };
        }
        finally
        {
            Leave();
        }
    }

    private (Expression? Limit, bool WithTies) ParseFetch()
    {
        var start = StartOf;
        ExpectKeyword("fetch");
        if (!AcceptKeyword("first"))
        {
            ExpectKeyword("next");
        }

        Expression count = new IntegerLiteral(1) { Span = SpanFrom(start) };
        if (!Current.IsKeyword("row") && !Current.IsKeyword("rows"))
        {
            count = ParseExpr(SqlPrecedence.Additive);
        }

        if (!AcceptKeyword("row"))
        {
            ExpectKeyword("rows");
        }

        if (AcceptKeyword("only"))
        {
            return (count, false);
        }

        ExpectKeyword("with");
        ExpectKeyword("ties");
        return (count, true);
    }

    private LockingClause ParseLockingClause()
    {
        var start = StartOf;
        ExpectKeyword("for");
        LockStrength strength;
        if (AcceptKeyword("update"))
        {
            strength = LockStrength.Update;
        }
        else if (AcceptKeyword("share"))
        {
            strength = LockStrength.Share;
        }
        else if (AcceptKeywords("no", "key"))
        {
            ExpectKeyword("update");
            strength = LockStrength.NoKeyUpdate;
        }
        else
        {
            ExpectKeyword("key");
            ExpectKeyword("share");
            strength = LockStrength.KeyShare;
        }

        var of = AcceptKeyword("of") ? ParseQualifiedNameList() : SyntaxList<QualifiedName>.Empty;
        var wait = AcceptKeyword("nowait") ? LockWaitPolicy.NoWait
            : AcceptKeywords("skip", "locked") ? LockWaitPolicy.SkipLocked
            : LockWaitPolicy.Wait;
        return new LockingClause(strength, of, wait) { Span = SpanFrom(start) };
    }

    private WithClause ParseWithClause()
    {
        var start = StartOf;
        ExpectKeyword("with");
        var recursive = AcceptKeyword("recursive");
        var tables = ParseCommaList(ParseCommonTableExpression);
        return new WithClause(recursive, tables) { Span = SpanFrom(start) };
    }

    private CommonTableExpression ParseCommonTableExpression()
    {
        var start = StartOf;
        var name = ParseName();
        var columns = ParseOptionalParenthesizedNames();
        ExpectKeyword("as");
        var materialization = AcceptKeyword("materialized") ? CteMaterialization.Materialized
            : AcceptKeywords("not", "materialized") ? CteMaterialization.NotMaterialized
            : CteMaterialization.Default;
        Expect(SqlTokenKind.LeftParen);
        var bodyStart = StartOf;
        Statement body = Current.IsKeyword("insert") || Current.IsKeyword("update") || Current.IsKeyword("delete")
            ? ParseDataModification(null, bodyStart)
            : new SelectStatement(ParseQuery()) { Span = SpanFrom(bodyStart) };
        Expect(SqlTokenKind.RightParen);
        return new CommonTableExpression(name, columns, materialization, body) { Span = SpanFrom(start) };
    }

    private QueryBody ParseSetExpression(int minPrecedence)
    {
        var start = StartOf;
        var left = ParseSetOperand();
        while (true)
        {
            SetOperator op;
            int precedence;
            if (AtKeyword("union"))
            {
                (op, precedence) = (SetOperator.Union, UnionPrecedence);
            }
            else if (AtKeyword("except"))
            {
                (op, precedence) = (SetOperator.Except, UnionPrecedence);
            }
            else if (AtKeyword("intersect"))
            {
                (op, precedence) = (SetOperator.Intersect, IntersectPrecedence);
            }
            else
            {
                return left;
            }

            if (precedence < minPrecedence)
            {
                return left;
            }

            Advance();
            var all = AcceptKeyword("all");
            if (!all)
            {
                AcceptKeyword("distinct");
            }

            var right = ParseSetExpression(precedence + 1);
            left = new SetOperationBody(op, all, left, right) { Span = SpanFrom(start) };
        }
    }

    private QueryBody ParseSetOperand()
    {
        var start = StartOf;
        if (Current.Kind == SqlTokenKind.LeftParen)
        {
            Advance();
            var inner = ParseQuery();
            Expect(SqlTokenKind.RightParen);
            return inner.IsBareBody ? inner.Body : new ParenthesizedQueryBody(inner) { Span = SpanFrom(start) };
        }

        if (AtKeyword("select"))
        {
            return ParseSelectBody();
        }

        if (AtKeyword("values"))
        {
            return ParseValuesBody();
        }

        if (AcceptKeyword("table"))
        {
            var name = ParseQualifiedName();
            var star = new SelectItem(new StarExpression(null) { Span = name.Span }, null) { Span = name.Span };
            var table = new NamedTableReference(name, null) { Span = name.Span };
            return new SelectBody(false, null, [star], [table], null, SyntaxList<Expression>.Empty, false, null, SyntaxList<WindowDefinition>.Empty) { Span = SpanFrom(start) };
        }

        throw SyntaxError();
    }

    private ValuesBody ParseValuesBody()
    {
        var start = StartOf;
        ExpectKeyword("values");
        var rows = ParseCommaList(() =>
        {
            Expect(SqlTokenKind.LeftParen);
            var row = ParseCommaList(ParseExpr);
            Expect(SqlTokenKind.RightParen);
            return row;
        });
        return new ValuesBody(rows) { Span = SpanFrom(start) };
    }

    private SelectBody ParseSelectBody()
    {
        var start = StartOf;
        ExpectKeyword("select");
        var distinct = false;
        SyntaxList<Expression>? distinctOn = null;
        if (AcceptKeyword("distinct"))
        {
            distinct = true;
            if (AcceptKeyword("on"))
            {
                Expect(SqlTokenKind.LeftParen);
                distinctOn = ParseCommaList(ParseExpr);
                Expect(SqlTokenKind.RightParen);
            }
        }
        else
        {
            AcceptKeyword("all");
        }

        var targets = IsEndOfTargetList() ? SyntaxList<SelectItem>.Empty : ParseCommaList(ParseSelectItem);
        var from = AcceptKeyword("from") ? ParseCommaList(ParseTableReference) : SyntaxList<TableReference>.Empty;
        var where = AcceptKeyword("where") ? ParseExpr() : null;
        var groupBy = SyntaxList<Expression>.Empty;
        var groupByDistinct = false;
        if (AcceptKeywords("group", "by"))
        {
            groupByDistinct = AcceptKeyword("distinct");
            if (!groupByDistinct)
            {
                AcceptKeyword("all");
            }

            groupBy = ParseCommaList(ParseGroupingElement);
        }

        var having = AcceptKeyword("having") ? ParseExpr() : null;
        var windows = SyntaxList<WindowDefinition>.Empty;
        if (AcceptKeyword("window"))
        {
            windows = ParseCommaList(() =>
            {
                var windowStart = StartOf;
                var name = ParseName();
                ExpectKeyword("as");
                var specification = ParseWindowSpecification();
                return new WindowDefinition(name, specification) { Span = SpanFrom(windowStart) };
            });
        }

        return new SelectBody(distinct, distinctOn, targets, from, where, groupBy, groupByDistinct, having, windows) { Span = SpanFrom(start) };
    }

    private bool IsEndOfTargetList()
    {
        var token = Current;
        return token.Kind is SqlTokenKind.EndOfInput or SqlTokenKind.Semicolon or SqlTokenKind.RightParen
            || token.IsKeyword("from") || token.IsKeyword("where") || token.IsKeyword("union") || token.IsKeyword("except")
            || token.IsKeyword("intersect") || token.IsKeyword("order") || token.IsKeyword("limit") || token.IsKeyword("group");
    }

    private SelectItem ParseSelectItem()
    {
        var start = StartOf;
        if (AcceptOperator("*"))
        {
            return new SelectItem(new StarExpression(null) { Span = SpanFrom(start) }, null) { Span = SpanFrom(start) };
        }

        var expression = ParseExpr();
        string? alias = null;
        if (AcceptKeyword("as"))
        {
            alias = ParseLabel();
        }
        else if (Current.Kind == SqlTokenKind.QuotedIdentifier || (Current.Kind == SqlTokenKind.Identifier && SqlKeywords.CanBeName(Current.Text)))
        {
            alias = Advance().Text;
        }

        return new SelectItem(expression, alias) { Span = SpanFrom(start) };
    }

    private SyntaxList<SelectItem> ParseReturning() =>
        AcceptKeyword("returning") ? ParseCommaList(ParseSelectItem) : SyntaxList<SelectItem>.Empty;

    private Expression ParseGroupingElement()
    {
        var start = StartOf;
        if (Current.Kind == SqlTokenKind.LeftParen && PeekToken(1).Kind == SqlTokenKind.RightParen)
        {
            Skip(2);
            return new GroupingSetExpression(GroupingSetKind.Empty, SyntaxList<Expression>.Empty) { Span = SpanFrom(start) };
        }

        GroupingSetKind? kind = null;
        if ((Current.IsKeyword("rollup") || Current.IsKeyword("cube")) && PeekToken(1).Kind == SqlTokenKind.LeftParen)
        {
            kind = Advance().Text == "rollup" ? GroupingSetKind.Rollup : GroupingSetKind.Cube;
        }
        else if (AcceptKeywords("grouping", "sets"))
        {
            kind = GroupingSetKind.Sets;
        }

        if (kind is not { } setKind)
        {
            return ParseExpr();
        }

        Expect(SqlTokenKind.LeftParen);
        var items = ParseCommaList<Expression>(setKind == GroupingSetKind.Sets ? ParseGroupingElement : ParseExpr);
        Expect(SqlTokenKind.RightParen);
        return new GroupingSetExpression(setKind, items) { Span = SpanFrom(start) };
    }

    private SyntaxList<OrderByItem> ParseOrderByList() => ParseCommaList(ParseOrderByItem);

    private OrderByItem ParseOrderByItem()
    {
        var start = StartOf;
        var expression = ParseExpr();
        var direction = SortDirection.Default;
        string? usingOperator = null;
        if (AcceptKeyword("asc"))
        {
            direction = SortDirection.Ascending;
        }
        else if (AcceptKeyword("desc"))
        {
            direction = SortDirection.Descending;
        }
        else if (AcceptKeyword("using"))
        {
            direction = SortDirection.Using;
            usingOperator = Expect(SqlTokenKind.Operator).Text;
        }

        var nulls = NullsOrder.Default;
        if (AcceptKeyword("nulls"))
        {
            nulls = AcceptKeyword("first") ? NullsOrder.First : AcceptKeyword("last") ? NullsOrder.Last : throw SyntaxError();
        }

        return new OrderByItem(expression, direction, usingOperator, nulls) { Span = SpanFrom(start) };
    }

    private WindowSpecification ParseWindowSpecification()
    {
        var start = StartOf;
        Expect(SqlTokenKind.LeftParen);
        string? existing = null;
        if (AtName() && !Current.IsKeyword("partition") && !Current.IsKeyword("rows") && !Current.IsKeyword("range") && !Current.IsKeyword("groups"))
        {
            existing = Advance().Text;
        }

        var partitionBy = AcceptKeywords("partition", "by") ? ParseCommaList(ParseExpr) : SyntaxList<Expression>.Empty;
        var orderBy = AcceptKeywords("order", "by") ? ParseOrderByList() : SyntaxList<OrderByItem>.Empty;
        WindowFrame? frame = null;
        if (Current.IsKeyword("rows") || Current.IsKeyword("range") || Current.IsKeyword("groups"))
        {
            frame = ParseWindowFrame();
        }

        Expect(SqlTokenKind.RightParen);
        return new WindowSpecification(existing, partitionBy, orderBy, frame) { Span = SpanFrom(start) };
    }

    private WindowFrame ParseWindowFrame()
    {
        var start = StartOf;
        var unit = Advance().Text switch
        {
            "rows" => FrameUnit.Rows,
            "range" => FrameUnit.Range,
            _ => FrameUnit.Groups,
        };
        FrameBound begin;
        FrameBound? end = null;
        if (AcceptKeyword("between"))
        {
            begin = ParseFrameBound();
            ExpectKeyword("and");
            end = ParseFrameBound();
        }
        else
        {
            begin = ParseFrameBound();
        }

        var exclusion = FrameExclusion.NoOthers;
        if (AcceptKeyword("exclude"))
        {
            exclusion = AcceptKeywords("current", "row") ? FrameExclusion.CurrentRow
                : AcceptKeyword("group") ? FrameExclusion.Group
                : AcceptKeyword("ties") ? FrameExclusion.Ties
                : AcceptKeywords("no", "others") ? FrameExclusion.NoOthers
                : throw SyntaxError();
        }

        return new WindowFrame(unit, begin, end, exclusion) { Span = SpanFrom(start) };
    }

    private FrameBound ParseFrameBound()
    {
        var start = StartOf;
        if (AcceptKeyword("unbounded"))
        {
            var kind = AcceptKeyword("preceding") ? FrameBoundKind.UnboundedPreceding
                : AcceptKeyword("following") ? FrameBoundKind.UnboundedFollowing
                : throw SyntaxError();
            return new FrameBound(kind, null) { Span = SpanFrom(start) };
        }

        if (AcceptKeywords("current", "row"))
        {
            return new FrameBound(FrameBoundKind.CurrentRow, null) { Span = SpanFrom(start) };
        }

        var offset = ParseExpr();
        var boundKind = AcceptKeyword("preceding") ? FrameBoundKind.Preceding
            : AcceptKeyword("following") ? FrameBoundKind.Following
            : throw SyntaxError();
        return new FrameBound(boundKind, offset) { Span = SpanFrom(start) };
    }
}
