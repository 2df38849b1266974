using System.Globalization;
using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Execution.Operators;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Types;
using LumaDB.Storage.Shards;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// Writes COPY FROM rows into one transaction: fills defaults and hidden row ids, checks NOT NULL and the
/// primary key, encodes each row once with a reused row builder. Any failure rolls the COPY back whole.
/// </summary>
internal sealed class CopyInSink : ICopyIn
{
    private readonly SqlSession _session;
    private readonly Transaction _transaction;
    private readonly bool _implicit;
    private readonly CopyPlan _plan;
    private readonly QueryRuntime _runtime;
    private readonly SqlType[] _types;
    private readonly bool _hasDeclaredKey;
    private readonly int _rowIdColumn;
    private readonly object?[] _values;
    private readonly Planning.PlanColumn[] _checkColumns;
    private readonly ReferentialIntegrity.Run? _references;
    private long _count;
    private bool _finished;

    public CopyInSink(SqlSession session, Transaction transaction, bool implicitTransaction, CopyPlan plan, QueryRuntime runtime)
    {
        _session = session;
        _transaction = transaction;
        _implicit = implicitTransaction;
        _plan = plan;
        _runtime = runtime;
        var table = plan.Table!;
        _types = QueryPlanner.TypesOf(table);
        _rowIdColumn = table.IndexOf(QueryPlanner.RowIdColumn);
        _hasDeclaredKey = _rowIdColumn < 0;
        _values = new object?[table.Columns.Count];
        _checkColumns = plan.Checks.Length == 0 ? [] : TableRows.ColumnsOf(table);
        _references = plan.References is { IsEmpty: false } references ? references.Start() : null;
    }

    public string TableName => _plan.TableName;

    public IReadOnlyList<ResultColumn> Columns => _plan.Columns;

    public CopyOptions Options => _plan.Options;

    public string CommandTag => "COPY " + _count.ToString(CultureInfo.InvariantCulture);

    public async ValueTask WriteAsync(ReadOnlyMemory<object?[]> rows, ReadOnlyMemory<long> lines, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var table = _plan.Table!;
        var layout = table.Layout;
        var targets = _plan.TargetColumns;
        var index = 0;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var defaults = EvaluateDefaults(rows.Length);
            for (index = 0; index < rows.Length; index++)
            {
                var row = rows.Span[index];
                for (var c = 0; c < _values.Length; c++)
                {
                    _values[c] = defaults[c]?.GetValue(index);
                }

                if (_rowIdColumn >= 0)
                {
                    _values[_rowIdColumn] = RowIds.Next();
                }

                for (var i = 0; i < targets.Length; i++)
                {
                    _values[targets[i]] = row[i];
                }

                TableConstraints.CheckNotNull(table, _values);
                CheckConstraints.CheckRow(_runtime, table, _checkColumns, _plan.Checks, _values);
                var encoded = StorageValues.Encode(layout, _types, _values);
                if (_hasDeclaredKey)
                {
                    var key = Shard.PrimaryKeyOf(layout, encoded);
                    if (await _transaction.GetAsync(table, key, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        throw TableConstraints.DuplicateKey(table, _types, _values);
                    }
                }

                if (_plan.Uniques is { IsEmpty: false } uniques)
                {
                    await uniques.InsertAsync(_transaction, _values, cancellationToken).ConfigureAwait(false);
                }

                _transaction.PutOwned(table, encoded);
                _references?.Written(null, (object?[])_values.Clone());
                _count++;
            }
        }
        catch (Exception error)
        {
            Abort();
            var translated = SqlSession.TranslateForCopy(error);
            var line = index < lines.Length ? lines.Span[index] : 0;
            throw translated.WithWhere(translated.Where ?? $"COPY {TableName}, line {line.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private ColumnVector?[] EvaluateDefaults(int rows)
    {
        var result = new ColumnVector?[_values.Length];
        var batch = new ResultBatch([], rows);
        for (var c = 0; c < result.Length; c++)
        {
            if (_plan.Defaults[c] is { } expression)
            {
                result[c] = BatchOps.Evaluate(_runtime, expression, batch);
            }
        }

        return result;
    }

    public async ValueTask<string> CompleteAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_references is not null)
        {
            try
            {
                await _references.FinishAsync(_transaction, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                Abort();
                throw SqlSession.TranslateForCopy(error).WithWhere($"COPY {TableName}");
            }
        }

        _finished = true;
        if (_implicit)
        {
            try
            {
                await SqlSession.CommitCopyAsync(_transaction, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _session.EndFailedCopy(_transaction, _implicit);
                throw;
            }
        }

        return CommandTag;
    }

    public void Abort()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _session.EndFailedCopy(_transaction, _implicit);
    }
}
