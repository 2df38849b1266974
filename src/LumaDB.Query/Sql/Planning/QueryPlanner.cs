using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Segments;

namespace LumaDB.Query.Sql.Planning;

/// <summary>
/// Turns a parsed query into a tree of physical operators: resolves names against the catalog, CTEs and
/// virtual tables, binds and type-checks expressions (one binder per statement, so parameter types are
/// shared), plans aggregation, ordering, subqueries and joins, and pushes filters into scans.
/// </summary>
internal sealed partial class QueryPlanner
{
    /// <summary>Name of the hidden row-id column of tables without a declared primary key.</summary>
    public const string RowIdColumn = "$row_id";

    private readonly CatalogSnapshot? _catalog;
    private readonly ISystemTableProvider? _system;
    private readonly SqlBinder _binder;
    private readonly List<ScanNode> _scans = [];

    /// <summary>Scan (and other) output columns some expression of the statement reads, by reference.</summary>
    private readonly HashSet<PlanColumn> _referenced = new(ReferenceEqualityComparer.Instance);
    private readonly List<Dictionary<string, PlanNode>> _ctes = [];
    private Frame? _frame;
    private QueryLevel? _level;

    public QueryPlanner(CatalogSnapshot? catalog, ISystemTableProvider? system, IReadOnlyList<SqlType>? parameterTypes)
    {
        _catalog = catalog;
        _system = system;
        _binder = new SqlBinder(null, parameterTypes) { Interceptor = Intercept };
    }

    /// <summary>Whether the table has a primary key of its own, not the hidden <see cref="RowIdColumn"/> a keyless table gets.</summary>
    public static bool HasDeclaredKey(TableDefinition table) => !table.Columns.Any(c => c.Name == RowIdColumn);

    /// <summary>The catalog the statement is planned against, when it has one.</summary>
    public CatalogSnapshot? Catalog => _catalog;

    /// <summary>The statement's binder (parameter types accumulate here).</summary>
    public SqlBinder Binder => _binder;

    /// <summary>Every table scan in the plan, for loading before execution.</summary>
    public IReadOnlyList<ScanNode> Scans => _scans;

    /// <summary>Plans a top-level query; its table scans read only the columns it refers to.</summary>
    public PlanNode PlanQuery(QueryExpression query)
    {
        var first = _scans.Count;
        var node = PlanQuery(query, out _);
        PruneScanColumns(first, keepKeys: query.Locking is { Count: > 0 });
        return node;
    }

    /// <summary>
    /// Gives each scan planned since <paramref name="first"/> the columns an expression of the query resolved
    /// (names, <c>*</c> expansions, USING/NATURAL keys), plus the primary key when <paramref name="keepKeys"/>
    /// (SELECT ... FOR UPDATE locks rows by it), so storage decodes no other column. Unread columns come out as
    /// <see cref="Execution.ColumnVector.Absent"/>.
    /// </summary>
    private void PruneScanColumns(int first, bool keepKeys)
    {
        for (var s = first; s < _scans.Count; s++)
        {
            var scan = _scans[s];
            var read = keepKeys ? new SortedSet<int>(scan.Table.PrimaryKey) : [];
            for (var c = 0; c < scan.Columns.Count; c++)
            {
                if (_referenced.Contains(scan.Columns[c]))
                {
                    read.Add(c);
                }
            }

            if (read.Count == 0)
            {
                // count(*) and the like still need rows: one column proves each.
                read.Add(RowProofColumn(scan.Table));
            }

            scan.ReadOrdinals = read.Count == scan.Columns.Count ? null : [.. read];
        }
    }

    /// <summary>
    /// The column a scan that needs no column reads to have its rows: a fixed-width one, a key column first (the
    /// merge decodes keys anyway), since it becomes query values without a string per row; else the first key
    /// column. A text key (a trace id) turned every counted row into a .NET string.
    /// </summary>
    private static int RowProofColumn(TableDefinition table)
    {
        foreach (var key in table.PrimaryKey)
        {
            if (IsFixedWidth(table.Columns[key].StorageKind))
            {
                return key;
            }
        }

        for (var c = 0; c < table.Columns.Count; c++)
        {
            if (IsFixedWidth(table.Columns[c].StorageKind))
            {
                return c;
            }
        }

        return table.PrimaryKey.Count > 0 ? table.PrimaryKey[0] : 0;
    }

    private static bool IsFixedWidth(SegmentColumnKind kind) => kind is not (SegmentColumnKind.Utf8 or SegmentColumnKind.Binary);

    /// <summary>Binds an expression over the given columns (DML targets, RETURNING, defaults).</summary>
    public BoundExpression BindOver(IReadOnlyList<PlanColumn> columns, Expression expression, string? forbidAggregates = null, bool topLevel = true)
    {
        var saved = _frame;
        _frame = new Frame(null, columns, _level ?? new QueryLevel(null)) { AggregateForbidden = forbidAggregates ?? "this context" };
        try
        {
            return topLevel ? _binder.BindTopLevel(expression) : _binder.Bind(expression);
        }
        finally
        {
            _frame = saved;
        }
    }

    /// <summary>Coerces to a target type the way assignments do (explicit casts of constants allowed as in INSERT).</summary>
    public BoundExpression CoerceForAssignment(BoundExpression expression, SqlType target, string column)
    {
        if (expression.Type == target)
        {
            return expression;
        }

        if (expression.Type.Kind == SqlTypeKind.Unknown || SqlTypeCoercion.CanImplicitlyCast(expression.Type, target))
        {
            return _binder.Coerce(expression, target);
        }

        // Assignment casts: PostgreSQL allows numeric narrowing, anything to text, and date/time narrowing
        // (timestamptz to timestamp or date, as in pgbench's INSERT ... CURRENT_TIMESTAMP) on assignment.
        if (SqlCasts.CanCast(expression.Type, target) &&
            ((expression.Type.Category == SqlTypeCategory.Numeric && target.Category == SqlTypeCategory.Numeric) || target.Category == SqlTypeCategory.String
            || (expression.Type.Category == SqlTypeCategory.DateTime && target.Category == SqlTypeCategory.DateTime)))
        {
            return expression is BoundConstant c
                ? new BoundConstant(c.Value is null ? null : SqlCasts.Convert(c.Value, c.Type, target, explicitCast: false), target)
                : new BoundCast(expression, target, IsExplicit: false);
        }

        throw new SqlException(
            SqlState.DatatypeMismatch,
            $"column \"{column}\" is of type {target.DisplayName} but expression is of type {expression.Type.DisplayName}",
            "You will need to rewrite or cast the expression.");
    }

    private PlanNode PlanQuery(QueryExpression query, out bool correlated)
    {
        var savedFrame = _frame;
        var savedLevel = _level;
        var cteDepth = _ctes.Count;
        var level = new QueryLevel(_level);
        _level = level;
        try
        {
            if (query.With is not null)
            {
                PlanWith(query.With);
            }

            PlanNode node;
            if (query.Body is SelectBody select)
            {
                node = PlanSelect(select, query.OrderBy, query.Limit, query.Offset);
            }
            else
            {
                node = PlanBody(query.Body);
                node = PlanOuterOrder(node, query);
            }

            correlated = level.Correlated;
            return node;
        }
        finally
        {
            _frame = savedFrame;
            _level = savedLevel;
            _ctes.RemoveRange(cteDepth, _ctes.Count - cteDepth);
        }
    }

    private PlanNode PlanBody(QueryBody body) => body switch
    {
        SelectBody s => PlanSelect(s, SyntaxList<OrderByItem>.Empty, null, null),
        ValuesBody v => PlanValues(v),
        SetOperationBody s => PlanSetOperation(s),
        ParenthesizedQueryBody p => PlanQuery(p.Query, out _),
        _ => throw new SqlException(SqlState.FeatureNotSupported, "query form not supported"),
    };

    private void PlanWith(WithClause with)
    {
        var scope = new Dictionary<string, PlanNode>(StringComparer.Ordinal);
        _ctes.Add(scope);
        foreach (var cte in with.Tables)
        {
            if (cte.Body is not SelectStatement select)
            {
                throw new SqlException(SqlState.FeatureNotSupported, "data-modifying statements in WITH are not supported");
            }

            PlanNode node;
            if (with.Recursive && select.Query.Body is SetOperationBody { Operator: SetOperator.Union } union && References(union.Right, cte.Name))
            {
                var anchor = PlanBody(union.Left);
                var columns = RenameColumns(anchor.Columns, cte.Name, cte.Columns);
                var work = new WorkTableNode(columns, cte.Name);
                var recursive = new RecursiveUnionNode(anchor, columns, union.All, work);
                scope[cte.Name] = work;
                var term = PlanBody(union.Right);
                if (term.Columns.Count != columns.Length)
                {
                    throw new SqlException(SqlState.SyntaxError, "each UNION query must have the same number of columns");
                }

                recursive.Recursive = CastTo(term, columns.Select(c => c.Type).ToArray());
                node = recursive;
            }
            else
            {
                node = PlanQuery(select.Query, out _);
            }

            var renamed = RenameColumns(node.Columns, cte.Name, cte.Columns);
            scope[cte.Name] = new MaterializedNode(node, renamed, cte.Name);
        }
    }

    /// <summary>True when the query text mentions <paramref name="name"/> as a table (decides whether a WITH RECURSIVE member recurses).</summary>
    private static bool References(QueryBody body, string name) => body switch
    {
        SelectBody s => s.From.Any(f => References(f, name)),
        SetOperationBody s => References(s.Left, name) || References(s.Right, name),
        ParenthesizedQueryBody p => References(p.Query.Body, name),
        _ => false,
    };

    private static bool References(TableReference table, string name) => table switch
    {
        NamedTableReference n => n.Name.Parts.Count == 1 && n.Name.Name == name,
        JoinTableReference j => References(j.Left, name) || References(j.Right, name),
        SubqueryTableReference s => References(s.Query.Body, name),
        _ => false,
    };

    private static PlanColumn[] RenameColumns(IReadOnlyList<PlanColumn> columns, string table, IReadOnlyList<string>? names)
    {
        if (names is not null && names.Count > columns.Count)
        {
            throw new SqlException(SqlState.InvalidColumnReference, $"table \"{table}\" has {columns.Count} columns available but {names.Count} columns specified");
        }

        return columns.Select((c, i) => c with { Table = table, Name = names is not null && i < names.Count ? names[i] : c.Name, Hidden = false }).ToArray();
    }

    private ValuesNode PlanValues(ValuesBody values)
    {
        var width = values.Rows[0].Count;
        if (values.Rows.Any(r => r.Count != width))
        {
            throw new SqlException(SqlState.SyntaxError, "VALUES lists must all be the same length");
        }

        var saved = _frame;
        _frame = new Frame(_frame, [], _level!) { AggregateForbidden = "VALUES" };
        try
        {
            var bound = values.Rows.Select(r => r.Select(_binder.Bind).ToArray()).ToArray();
            var columns = new PlanColumn[width];
            for (var c = 0; c < width; c++)
            {
                var column = c;
                var type = SqlBinder.ResolveCommon(bound.Select(r => r[column]).ToArray(), "VALUES");
                if (type.Kind == SqlTypeKind.Unknown)
                {
                    type = SqlType.Text;
                }

                foreach (var row in bound)
                {
                    row[c] = _binder.Coerce(row[c], type);
                }

                columns[c] = new PlanColumn(null, "column" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), type);
            }

            return new ValuesNode(columns, bound);
        }
        finally
        {
            _frame = saved;
        }
    }

    private SetOperationNode PlanSetOperation(SetOperationBody body)
    {
        var left = PlanBody(body.Left);
        var right = PlanBody(body.Right);
        var name = body.Operator.ToString().ToUpperInvariant();
        if (left.Columns.Count != right.Columns.Count)
        {
            throw new SqlException(SqlState.SyntaxError, $"each {name} query must have the same number of columns");
        }

        var types = new SqlType[left.Columns.Count];
        for (var i = 0; i < types.Length; i++)
        {
            var type = SqlTypeCoercion.ResolveCommonType([left.Columns[i].Type, right.Columns[i].Type], name, out var error)
                ?? throw new SqlException(SqlState.DatatypeMismatch, error!);
            types[i] = type.Kind == SqlTypeKind.Unknown ? SqlType.Text : type;
        }

        left = CastTo(left, types);
        right = CastTo(right, types);
        var columns = left.Columns.Select((c, i) => new PlanColumn(null, c.Name, types[i])).ToArray();
        return new SetOperationNode(left, right, body.Operator, body.All, columns);
    }

    /// <summary>Wraps <paramref name="node"/> so its columns have <paramref name="types"/>.</summary>
    private PlanNode CastTo(PlanNode node, SqlType[] types)
    {
        if (node.Columns.Select(c => c.Type).SequenceEqual(types))
        {
            return node;
        }

        var expressions = node.Columns.Select((c, i) => _binder.Coerce(new BoundColumn(i, c.Name, c.Type), types[i])).ToArray();
        return new ProjectNode(node, node.Columns.Select((c, i) => c with { Type = types[i] }).ToArray(), expressions);
    }

    /// <summary>ORDER BY / LIMIT over a VALUES or set-operation body: by output position or name.</summary>
    private PlanNode PlanOuterOrder(PlanNode node, QueryExpression query)
    {
        var keys = new List<SortKey>();
        var hidden = new List<BoundExpression>();
        foreach (var item in query.OrderBy)
        {
            int ordinal;
            if (item.Expression is IntegerLiteral position)
            {
                ordinal = CheckPosition(position, node.Columns.Count);
            }
            else if (item.Expression is ColumnReference { Parts.Count: 1 } reference && node.Columns.Count(c => c.Name == reference.Name) == 1)
            {
                ordinal = node.Columns.ToList().FindIndex(c => c.Name == reference.Name);
            }
            else
            {
                var saved = _frame;
                _frame = new Frame(saved, node.Columns, _level!) { AggregateForbidden = "ORDER BY" };
                try
                {
                    hidden.Add(_binder.BindTopLevel(item.Expression));
                }
                finally
                {
                    _frame = saved;
                }

                ordinal = node.Columns.Count + hidden.Count - 1;
            }

            keys.Add(MakeKey(ordinal, item));
        }

        var visible = node.Columns;
        if (hidden.Count > 0)
        {
            var exprs = node.Columns.Select((c, i) => (BoundExpression)new BoundColumn(i, c.Name, c.Type)).Concat(hidden).ToArray();
            node = new ProjectNode(node, [.. node.Columns, .. hidden.Select((h, i) => new PlanColumn(null, "?sort" + i, h.Type))], exprs);
        }

        return Finish(node, keys, visible.Count, query.Limit, query.Offset);
    }

    private static int CheckPosition(IntegerLiteral position, int count)
    {
        if (position.Value < 1 || position.Value > count)
        {
            throw new SqlException(SqlState.InvalidColumnReference, $"ORDER BY position {position.Value} is not in select list");
        }

        return (int)position.Value - 1;
    }

    private static SortKey MakeKey(int ordinal, OrderByItem item)
    {
        var descending = item.Direction == SortDirection.Descending;
        var nullsFirst = item.Nulls == NullsOrder.First || (item.Nulls == NullsOrder.Default && descending);
        return new SortKey(ordinal, descending, nullsFirst);
    }

    /// <summary>Sort (top-k with a limit), limit/offset, then drop hidden sort columns.</summary>
    private PlanNode Finish(PlanNode node, List<SortKey> keys, int visible, Expression? limit, Expression? offset)
    {
        var boundLimit = limit is null ? null : BindCount(limit, "LIMIT");
        var boundOffset = offset is null ? null : BindCount(offset, "OFFSET");
        if (keys.Count > 0)
        {
            node = new SortNode(node, keys, boundLimit, boundOffset);
        }

        if (boundLimit is not null || boundOffset is not null)
        {
            node = new LimitNode(node, boundLimit, boundOffset);
        }

        if (node.Columns.Count > visible)
        {
            var columns = node.Columns.Take(visible).ToArray();
            node = new ProjectNode(node, columns, columns.Select((c, i) => (BoundExpression)new BoundColumn(i, c.Name, c.Type)).ToArray());
        }

        return node;
    }

    private BoundExpression BindCount(Expression expression, string clause)
    {
        if (expression is NullLiteral)
        {
            return new BoundConstant(null, SqlType.Int8);
        }

        var saved = _frame;
        _frame = new Frame(saved, [], _level!) { AggregateForbidden = clause };
        try
        {
            var bound = _binder.Bind(expression);
            return _binder.Coerce(bound.Type.Kind is SqlTypeKind.Int2 or SqlTypeKind.Int4 ? _binder.Coerce(bound, SqlType.Int8) : bound, SqlType.Int8);
        }
        finally
        {
            _frame = saved;
        }
    }

    /// <summary>The columns of one query level as expressions see them.</summary>
    private sealed class Frame(Frame? outer, IReadOnlyList<PlanColumn> columns, QueryLevel level)
    {
        public Frame? Outer { get; } = outer;

        public IReadOnlyList<PlanColumn> Columns { get; } = columns;

        public QueryLevel Level { get; } = level;

        /// <summary>Set on the frame above a GROUP BY: names resolve to group keys and aggregates.</summary>
        public AggregateScope? Aggregation { get; init; }

        /// <summary>Set where window functions may appear.</summary>
        public WindowScope? Windows { get; init; }

        /// <summary>The clause name when aggregates are not allowed here (WHERE, JOIN ...).</summary>
        public string? AggregateForbidden { get; init; }

        /// <summary>Set where set-returning functions may appear (a select list, its ORDER BY).</summary>
        public SetFunctionScope? SetFunctions { get; init; }

        /// <summary>The clause a set-returning function is refused in, when it is not <see cref="AggregateForbidden"/> (HAVING).</summary>
        public string? SetFunctionsClause { get; init; }

        /// <summary>The call whose arguments these are (aggregate, window), which may not contain a set-returning function.</summary>
        public string? SetFunctionsCall { get; init; }
    }

    /// <summary>One query (SELECT) being planned; <see cref="Correlated"/> records whether it reads enclosing rows.</summary>
    private sealed class QueryLevel(QueryLevel? enclosing)
    {
        public QueryLevel? Enclosing { get; } = enclosing;

        public bool Correlated { get; set; }
    }
}
