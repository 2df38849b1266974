using System.Runtime.CompilerServices;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Parser;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres;

/// <summary>
/// A stand-in <see cref="ISqlSession"/> until the engine-backed session is wired: it runs queries that read no
/// table (SELECT without FROM, VALUES) on the expression engine, with parameters, and handles SET/SHOW/RESET and
/// transaction-block bookkeeping (BEGIN, COMMIT, ROLLBACK) so the protocol's status reporting can be exercised.
/// Every other statement is refused with 0A000.
/// </summary>
public sealed class TableFreeSqlSession : ISqlSession
{
    private SessionTransactionState _state = SessionTransactionState.Idle;

    /// <summary>Creates a session; the protocol applies the start-up parameters to <see cref="Settings"/>.</summary>
    public TableFreeSqlSession()
    {
    }

    /// <summary>The factory <see cref="PgServerOptions.SessionFactory"/> uses by default.</summary>
    public static ISqlSession Create(PgSessionStart start) => new TableFreeSqlSession();

    /// <inheritdoc />
    public SessionSettings Settings { get; } = new();

    /// <inheritdoc />
    public SessionTransactionState TransactionState => _state;

    /// <inheritdoc />
    public PreparedStatement Prepare(string sql, IReadOnlyList<SqlType>? parameterTypes = null)
    {
        var statement = SqlParser.ParseStatement(sql);

        switch (statement)
        {
            case SelectStatement { Query: { IsBareBody: true } query } when query.Body is SelectBody { From.IsEmpty: true, Where: null, GroupBy.IsEmpty: true, Having: null, Distinct: false } body:
                return PrepareSelect(sql, statement, body, parameterTypes);
            case SelectStatement { Query: { IsBareBody: true, Body: ValuesBody values } }:
                return PrepareValues(sql, statement, values, parameterTypes);
            case ShowStatement show:
                var column = show.Name.Equals("all", StringComparison.OrdinalIgnoreCase)
                    ? new ResultColumn[] { new("name", SqlType.Text), new("setting", SqlType.Text) }
                    : [new ResultColumn(show.Name, SqlType.Text)];
                return new PreparedStatement(sql, statement, parameterTypes ?? [], column);
            case SetStatement or ResetStatement or TransactionStatement:
                return new PreparedStatement(sql, statement, parameterTypes ?? [], []);
            default:
                var text = sql.Trim();
                throw new SqlException(
                    SqlState.FeatureNotSupported,
                    "LumaDB cannot execute SQL statements yet",
                    detail: "statement: " + (text.Length > 200 ? text[..200] + "..." : text));
        }
    }

    /// <inheritdoc />
    public ValueTask<StatementResult> ExecuteAsync(PreparedStatement statement, IReadOnlyList<object?> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        cancellationToken.ThrowIfCancellationRequested();
        if (_state == SessionTransactionState.Failed && statement.Syntax is not TransactionStatement { Kind: TransactionCommand.Rollback or TransactionCommand.Commit or TransactionCommand.RollbackToSavepoint })
        {
            throw new SqlException("25P02", "current transaction is aborted, commands ignored until end of transaction block");
        }

        try
        {
            return ValueTask.FromResult(Execute(statement, parameters, cancellationToken));
        }
        catch (SqlException) when (_state == SessionTransactionState.InBlock)
        {
            _state = SessionTransactionState.Failed;
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private StatementResult Execute(PreparedStatement statement, IReadOnlyList<object?> parameters, CancellationToken cancellationToken)
    {
        switch (statement.Syntax)
        {
            case TransactionStatement transaction:
                return Done(RunTransaction(transaction));
            case SetStatement set:
                ApplySet(set);
                return Done("SET");
            case ResetStatement reset:
                if (reset.Name is null)
                {
                    foreach (var (name, _) in Settings.All().ToArray())
                    {
                        TryReset(name);
                    }
                }
                else
                {
                    Settings.Reset(reset.Name);
                }

                return Done("RESET");
            case ShowStatement show:
                return Show(show, statement.Columns);
            default:
                var plan = (TableFreePlan)statement.Plan!;
                var evaluator = new ExpressionEvaluator(new EvaluationContext(parameters: parameters) { Settings = Settings, Cancellation = cancellationToken });
                var columns = plan.Evaluate(evaluator, cancellationToken);
                return Rows(statement.Columns, columns, plan.RowCount);
        }
    }

    private void TryReset(string name)
    {
        try
        {
            Settings.Reset(name);
        }
        catch (ArgumentException)
        {
            // Read-only settings keep their value under RESET ALL.
        }
    }

    private string RunTransaction(TransactionStatement transaction)
    {
        switch (transaction.Kind)
        {
            case TransactionCommand.Begin:
                if (_state != SessionTransactionState.Idle)
                {
                    throw new SqlException("25001", "there is already a transaction in progress");
                }

                _state = SessionTransactionState.InBlock;
                return "BEGIN";
            case TransactionCommand.Commit:
                var failed = _state == SessionTransactionState.Failed;
                _state = SessionTransactionState.Idle;
                return failed ? "ROLLBACK" : "COMMIT";
            case TransactionCommand.Rollback:
                _state = SessionTransactionState.Idle;
                return "ROLLBACK";
            default:
                throw new SqlException(SqlState.FeatureNotSupported, "savepoints are not supported yet");
        }
    }

    private void ApplySet(SetStatement set)
    {
        var value = set.IsDefault ? null : string.Join(", ", set.Values.Select(SettingText));
        try
        {
            if (value is null)
            {
                Settings.Reset(set.Name);
            }
            else
            {
                Settings.Set(set.Name, value);
            }
        }
        catch (ArgumentException e)
        {
            throw new SqlException("55P02", e.Message.Split(" (", 2)[0]);
        }
    }

    private static string SettingText(Expression expression) => expression switch
    {
        StringLiteral s => s.Value,
        IntegerLiteral i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NumericLiteral n => n.Text,
        BooleanLiteral b => b.Value ? "on" : "off",
        ColumnReference c => c.Name,
        _ => SqlFormatter.Format(expression),
    };

    private StatementResult Show(ShowStatement show, IReadOnlyList<ResultColumn> columns)
    {
        if (show.Name.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            var all = Settings.All().ToArray();
            return Rows(columns, [ColumnVector.FromValues(SqlType.Text, all.Select(kv => (object?)kv.Key).ToArray()), ColumnVector.FromValues(SqlType.Text, all.Select(kv => (object?)kv.Value).ToArray())], all.Length);
        }

        var value = Settings.Get(show.Name) ?? throw new SqlException(SqlState.UndefinedObject, $"unrecognized configuration parameter \"{show.Name}\"");
        return Rows(columns, [ColumnVector.FromValues(SqlType.Text, [value])], 1);
    }

    private static StatementResult Done(string tag) => new([], null, () => tag);

    private static StatementResult Rows(IReadOnlyList<ResultColumn> columns, IReadOnlyList<ColumnVector> vectors, int rowCount) =>
        new(columns, OneBatch(new ResultBatch(vectors, rowCount)), () => "SELECT " + rowCount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async IAsyncEnumerable<ResultBatch> OneBatch(ResultBatch batch, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        cancellationToken.ThrowIfCancellationRequested();
        yield return batch;
    }

    private static PreparedStatement PrepareSelect(string sql, Statement statement, SelectBody body, IReadOnlyList<SqlType>? parameterTypes)
    {
        var binder = new SqlBinder(null, parameterTypes);
        var bound = new List<BoundExpression>();
        var columns = new List<ResultColumn>();
        foreach (var target in body.Targets)
        {
            var expression = binder.BindTopLevel(target.Expression);
            bound.Add(expression);
            columns.Add(new ResultColumn(target.Alias ?? ConstantQueryExecutor.ColumnName(target.Expression), Resolved(expression.Type)));
        }

        return new PreparedStatement(sql, statement, binder.ParameterTypes, columns) { Plan = new TableFreePlan([bound.ToArray()], 1) };
    }

    private static PreparedStatement PrepareValues(string sql, Statement statement, ValuesBody values, IReadOnlyList<SqlType>? parameterTypes)
    {
        var width = values.Rows[0].Count;
        if (values.Rows.Any(r => r.Count != width))
        {
            throw new SqlException(SqlState.SyntaxError, "VALUES lists must all be the same length");
        }

        var binder = new SqlBinder(null, parameterTypes);
        var bound = values.Rows.Select(r => r.Select(binder.Bind).ToArray()).ToArray();
        var columns = new List<ResultColumn>();
        for (var c = 0; c < width; c++)
        {
            var column = c;
            var type = SqlTypeCoercion.ResolveCommonType(bound.Select(r => r[column].Type).ToArray(), "VALUES", out var error)
                ?? throw new SqlException(SqlState.DatatypeMismatch, error!);
            for (var r = 0; r < bound.Length; r++)
            {
                // Types here already share the common type, so the cast is the implicit one.
                if (bound[r][c].Type != type)
                {
                    bound[r][c] = binder.BindCast(bound[r][c], type);
                }
            }

            columns.Add(new ResultColumn("column" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Resolved(type)));
        }

        return new PreparedStatement(sql, statement, binder.ParameterTypes, columns) { Plan = new TableFreePlan(bound, bound.Length) };
    }

    private static SqlType Resolved(SqlType type) => type.Kind == SqlTypeKind.Unknown ? SqlType.Text : type;

    /// <summary>Bound expressions per row; a SELECT without FROM is one row.</summary>
    private sealed record TableFreePlan(BoundExpression[][] Rows, int RowCount)
    {
        public ColumnVector[] Evaluate(ExpressionEvaluator evaluator, CancellationToken cancellationToken)
        {
            var width = Rows[0].Length;
            var result = new ColumnVector[width];
            for (var c = 0; c < width; c++)
            {
                var type = Resolved(Rows[0][c].Type);
                if (Rows.Length == 1)
                {
                    var vector = evaluator.Evaluate(Rows[0][c], [], 1);
                    result[c] = vector.Type.Kind == SqlTypeKind.Unknown ? ColumnVector.FromValues(type, [vector.GetValue(0)]) : vector;
                    continue;
                }

                var cells = new object?[Rows.Length];
                for (var r = 0; r < Rows.Length; r++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    cells[r] = evaluator.Evaluate(Rows[r][c], [], 1).GetValue(0);
                }

                result[c] = ColumnVector.FromValues(type, cells);
            }

            return result;
        }
    }
}
