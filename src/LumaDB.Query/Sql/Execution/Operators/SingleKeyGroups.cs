using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// The groups of an aggregation with at most one key and single-argument aggregates without FILTER or ORDER BY:
/// groups are found by the key's typed value (no per-row key array) and the common aggregates keep typed
/// per-group arrays (<see cref="GroupedAggregate"/>), the rest one accumulator per group. A parallel worker keeps
/// one of these as its partial result; partials of typed aggregates merge into one.
/// </summary>
internal sealed class SingleKeyGroups
{
    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateSpec> _aggregates;
    private readonly object?[][] _direct;
    private readonly GroupedAggregate?[] _typed;
    private readonly bool _allTyped;
    private readonly List<Accumulator[]?> _groups = [];
    private readonly List<object?> _keyValues = [];
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _byLong = [];
    private readonly Dictionary<int, int> _byInt = [];
    private readonly Dictionary<object?[], int> _byValue = new(RowComparer.Instance);
    private readonly ColumnVector?[] _arguments;
    private int _nullGroup = -1;
    private int[] _groupOf = [];

    // Text keys read dictionary-coded: a code maps to its group once per dictionary, not a string hash per row.
    private string[]? _lastDictionary;
    private int[] _groupOfCode = [];

    public SingleKeyGroups(IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateSpec> aggregates, object?[][] direct)
    {
        _keys = keys;
        _aggregates = aggregates;
        _direct = direct;
        _typed = [.. aggregates.Select(GroupedAggregate.TryCreate)];
        _allTyped = _typed.All(t => t is not null);
        _arguments = new ColumnVector?[aggregates.Count];
    }

    /// <summary>Whether every aggregate is kept typed, so partial results can be merged.</summary>
    public bool IsMergeable => _allTyped;

    /// <summary>Groups so far.</summary>
    public int Count => _groups.Count;

    private int NewGroup(QueryRuntime runtime, object? key)
    {
        Accumulator[]? accumulators = null;
        if (!_allTyped)
        {
            accumulators = new Accumulator[_aggregates.Count];
            for (var a = 0; a < accumulators.Length; a++)
            {
                accumulators[a] = _typed[a] is null ? Accumulator.Create(_aggregates[a], _direct[a]) : null!;
            }
        }

        _groups.Add(accumulators);
        _keyValues.Add(key);
        runtime.Reserve(64L * (1 + _aggregates.Count));
        return _groups.Count - 1;
    }

    /// <summary>Adds a batch of input rows.</summary>
    public void Add(QueryRuntime runtime, ResultBatch batch)
    {
        var count = batch.RowCount;
        if (_groupOf.Length < count)
        {
            _groupOf = new int[count];
        }

        var groupOf = _groupOf;
        if (_keys.Count == 0)
        {
            if (_groups.Count == 0)
            {
                NewGroup(runtime, null);
            }

            Array.Clear(groupOf, 0, count);
        }
        else
        {
            var key = BatchOps.Evaluate(runtime, _keys[0], batch);
            if (key is { DictionaryCodes: { } codes, DictionaryValues: { } dictionary })
            {
                AssignCoded(runtime, key, codes, dictionary, count);
            }
            else
            {
                AssignValues(runtime, key, count);
            }
        }

        var arguments = _arguments;
        for (var a = 0; a < arguments.Length; a++)
        {
            arguments[a] = _aggregates[a].Arguments.Count == 0 ? null : BatchOps.Evaluate(runtime, _aggregates[a].Arguments[0], batch);
        }

        // Aggregate by aggregate, so each loop reads one typed column.
        for (var a = 0; a < arguments.Length; a++)
        {
            var argument = arguments[a];
            if (_typed[a] is { } grouped)
            {
                grouped.EnsureGroups(_groups.Count);
                if (!grouped.Add(argument, groupOf.AsSpan(0, count)))
                {
                    throw new SqlException(SqlState.InternalError, $"unexpected argument column for {_aggregates[a].Text}");
                }

                continue;
            }

            for (var r = 0; r < count; r++)
            {
                _groups[groupOf[r]]![a].AddRow(argument, r);
            }
        }

        Array.Clear(arguments);
    }

    private void AssignCoded(QueryRuntime runtime, ColumnVector key, int[] codes, string[] dictionary, int count)
    {
        if (!ReferenceEquals(dictionary, _lastDictionary))
        {
            _lastDictionary = dictionary;
            if (_groupOfCode.Length < dictionary.Length)
            {
                _groupOfCode = new int[dictionary.Length];
            }

            _groupOfCode.AsSpan(0, dictionary.Length).Fill(-1);
        }

        var groupOfCode = _groupOfCode;
        var groupOf = _groupOf;
        var nulls = key.Nulls;
        for (var r = 0; r < count; r++)
        {
            int g;
            if (nulls is not null && nulls[r])
            {
                g = _nullGroup >= 0 ? _nullGroup : _nullGroup = NewGroup(runtime, null);
            }
            else if ((g = groupOfCode[codes[r]]) < 0)
            {
                g = TextGroup(runtime, dictionary[codes[r]]);
                groupOfCode[codes[r]] = g;
            }

            groupOf[r] = g;
        }
    }

    private void AssignValues(QueryRuntime runtime, ColumnVector key, int count)
    {
        var groupOf = _groupOf;
        for (var r = 0; r < count; r++)
        {
            int g;
            if (key.IsNull(r))
            {
                g = _nullGroup >= 0 ? _nullGroup : _nullGroup = NewGroup(runtime, null);
            }
            else
            {
                switch (key.Values)
                {
                    case string[] text:
                        g = TextGroup(runtime, text[r]);
                        break;
                    case long[] longs:
                        g = LongGroup(runtime, longs[r]);
                        break;
                    case int[] ints:
                        g = IntGroup(runtime, ints[r]);
                        break;
                    default:
                        g = ValueGroup(runtime, key.GetValue(r));
                        break;
                }
            }

            groupOf[r] = g;
        }
    }

    private int TextGroup(QueryRuntime runtime, string key)
    {
        if (!_byText.TryGetValue(key, out var g))
        {
            g = NewGroup(runtime, key);
            _byText.Add(key, g);
        }

        return g;
    }

    private int LongGroup(QueryRuntime runtime, long key)
    {
        if (!_byLong.TryGetValue(key, out var g))
        {
            g = NewGroup(runtime, key);
            _byLong.Add(key, g);
        }

        return g;
    }

    private int IntGroup(QueryRuntime runtime, int key)
    {
        if (!_byInt.TryGetValue(key, out var g))
        {
            g = NewGroup(runtime, key);
            _byInt.Add(key, g);
        }

        return g;
    }

    private int ValueGroup(QueryRuntime runtime, object? key)
    {
        if (!_byValue.TryGetValue([key], out var g))
        {
            g = NewGroup(runtime, key);
            _byValue.Add([key], g);
        }

        return g;
    }

    /// <summary>
    /// Adds the groups and aggregate states of <paramref name="other"/> (the partial result of another worker over
    /// other rows of the same input); both must be <see cref="IsMergeable"/>.
    /// </summary>
    public void Merge(QueryRuntime runtime, SingleKeyGroups other)
    {
        if (!_allTyped || !other._allTyped)
        {
            throw new InvalidOperationException("Only typed aggregates merge.");
        }

        // Where each of the other's groups lands here, found through the map it was keyed in.
        var map = new int[other._groups.Count];
        if (_keys.Count == 0)
        {
            if (other._groups.Count > 0 && _groups.Count == 0)
            {
                NewGroup(runtime, null);
            }
        }
        else
        {
            foreach (var (key, g) in other._byText)
            {
                map[g] = TextGroup(runtime, key);
            }

            foreach (var (key, g) in other._byLong)
            {
                map[g] = LongGroup(runtime, key);
            }

            foreach (var (key, g) in other._byInt)
            {
                map[g] = IntGroup(runtime, key);
            }

            foreach (var (key, g) in other._byValue)
            {
                map[g] = ValueGroup(runtime, key[0]);
            }

            if (other._nullGroup >= 0)
            {
                map[other._nullGroup] = _nullGroup >= 0 ? _nullGroup : _nullGroup = NewGroup(runtime, null);
            }
        }

        for (var a = 0; a < _typed.Length; a++)
        {
            _typed[a]!.EnsureGroups(_groups.Count);
            _typed[a]!.Merge(other._typed[a]!, map);
        }
    }

    /// <summary>The result rows: the key (when grouped) then each aggregate's value, group by group.</summary>
    public IEnumerable<ResultBatch> Emit(QueryRuntime runtime, IReadOnlyList<PlanColumn> columns)
    {
        if (_keys.Count == 0 && _groups.Count == 0)
        {
            NewGroup(runtime, null);
        }

        var rows = new List<object?[]>(BatchOps.BatchSize);
        var width = _keys.Count;
        for (var g = 0; g < _groups.Count; g++)
        {
            var row = new object?[width + _aggregates.Count];
            if (width == 1)
            {
                row[0] = _keyValues[g];
            }

            for (var a = 0; a < _aggregates.Count; a++)
            {
                row[width + a] = _typed[a] is { } grouped ? grouped.Result(g) : _groups[g]![a].Result();
            }

            rows.Add(row);
            if (rows.Count == BatchOps.BatchSize)
            {
                yield return BatchOps.FromRows(columns, rows);
                rows.Clear();
            }
        }

        if (rows.Count > 0)
        {
            yield return BatchOps.FromRows(columns, rows);
        }
    }
}
