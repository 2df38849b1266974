using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// The groups of an aggregation with at most two keys and single-argument aggregates without FILTER or ORDER BY:
/// each key column's values are numbered by their typed value (no per-row key array; dictionary-coded text once
/// per dictionary), one key's number is the group, two keys' numbers pair into one; the common aggregates keep
/// typed per-group arrays (<see cref="GroupedAggregate"/>), the rest one accumulator per group. A parallel worker
/// keeps one of these as its partial result; partials of typed aggregates merge into one.
/// </summary>
internal sealed class KeyedGroups
{
    /// <summary>Most grouping keys this path takes.</summary>
    public const int MaxKeys = 2;

    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateSpec> _aggregates;
    private readonly object?[][] _direct;
    private readonly GroupedAggregate?[] _typed;
    private readonly bool _allTyped;
    private readonly List<Accumulator[]?> _groups = [];
    private readonly KeyNumbers[] _numbers;
    private readonly ColumnVector?[] _arguments;

    // One key: the key's number is its group. Two keys: each group's pair of numbers, and the group of each pair.
    private readonly List<(int First, int Second)> _pairs = [];
    private readonly Dictionary<long, int> _byPair = [];
    private int[] _groupOf = [];
    private int[] _secondOf = [];

    public KeyedGroups(IReadOnlyList<BoundExpression> keys, IReadOnlyList<AggregateSpec> aggregates, object?[][] direct)
    {
        if (keys.Count > MaxKeys)
        {
            throw new ArgumentOutOfRangeException(nameof(keys));
        }

        _keys = keys;
        _aggregates = aggregates;
        _direct = direct;
        _typed = [.. aggregates.Select(GroupedAggregate.TryCreate)];
        _allTyped = _typed.All(t => t is not null);
        _arguments = new ColumnVector?[aggregates.Count];
        _numbers = [.. keys.Select(_ => new KeyNumbers())];
    }

    /// <summary>Whether every aggregate is kept typed, so partial results can be merged.</summary>
    public bool IsMergeable => _allTyped;

    /// <summary>Groups so far.</summary>
    public int Count => _groups.Count;

    private int NewGroup(QueryRuntime runtime)
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
        runtime.Reserve(64L * (1 + _aggregates.Count + _keys.Count));
        return _groups.Count - 1;
    }

    /// <summary>The group of a pair of key numbers, made on first sight.</summary>
    private int PairGroup(QueryRuntime runtime, int first, int second)
    {
        var pair = ((long)first << 32) | (uint)second;
        if (!_byPair.TryGetValue(pair, out var g))
        {
            g = NewGroup(runtime);
            _pairs.Add((first, second));
            _byPair.Add(pair, g);
        }

        return g;
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
        switch (_keys.Count)
        {
            case 0:
                if (_groups.Count == 0)
                {
                    NewGroup(runtime);
                }

                Array.Clear(groupOf, 0, count);
                break;
            case 1:
                // The key's number is the group: a new number makes a new group.
                _numbers[0].Number(BatchOps.Evaluate(runtime, _keys[0], batch), count, groupOf, () => NewGroup(runtime));
                break;
            default:
                if (_secondOf.Length < count)
                {
                    _secondOf = new int[count];
                }

                _numbers[0].Number(BatchOps.Evaluate(runtime, _keys[0], batch), count, groupOf, null);
                _numbers[1].Number(BatchOps.Evaluate(runtime, _keys[1], batch), count, _secondOf, null);
                var second = _secondOf;
                for (var r = 0; r < count; r++)
                {
                    groupOf[r] = PairGroup(runtime, groupOf[r], second[r]);
                }

                break;
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

    /// <summary>
    /// Adds the groups and aggregate states of <paramref name="other"/> (the partial result of another worker over
    /// other rows of the same input); both must be <see cref="IsMergeable"/>.
    /// </summary>
    public void Merge(QueryRuntime runtime, KeyedGroups other)
    {
        if (!_allTyped || !other._allTyped)
        {
            throw new InvalidOperationException("Only typed aggregates merge.");
        }

        // Where each of the other's groups lands here, found through its key numbers.
        var map = new int[other._groups.Count];
        switch (_keys.Count)
        {
            case 0:
                if (other._groups.Count > 0 && _groups.Count == 0)
                {
                    NewGroup(runtime);
                }

                break;
            case 1:
                var numbers = _numbers[0].Adopt(other._numbers[0], () => NewGroup(runtime));
                for (var g = 0; g < map.Length; g++)
                {
                    map[g] = numbers[g];
                }

                break;
            default:
                var first = _numbers[0].Adopt(other._numbers[0], null);
                var second = _numbers[1].Adopt(other._numbers[1], null);
                for (var g = 0; g < map.Length; g++)
                {
                    var (a, b) = other._pairs[g];
                    map[g] = PairGroup(runtime, first[a], second[b]);
                }

                break;
        }

        for (var a = 0; a < _typed.Length; a++)
        {
            _typed[a]!.EnsureGroups(_groups.Count);
            _typed[a]!.Merge(other._typed[a]!, map);
        }
    }

    /// <summary>The result rows: the keys (when grouped) then each aggregate's value, group by group.</summary>
    public IEnumerable<ResultBatch> Emit(QueryRuntime runtime, IReadOnlyList<PlanColumn> columns)
    {
        if (_keys.Count == 0 && _groups.Count == 0)
        {
            NewGroup(runtime);
        }

        var rows = new List<object?[]>(BatchOps.BatchSize);
        var width = _keys.Count;
        for (var g = 0; g < _groups.Count; g++)
        {
            var row = new object?[width + _aggregates.Count];
            if (width == 1)
            {
                row[0] = _numbers[0].Values[g];
            }
            else if (width == 2)
            {
                row[0] = _numbers[0].Values[_pairs[g].First];
                row[1] = _numbers[1].Values[_pairs[g].Second];
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

    /// <summary>
    /// Numbers the distinct values of one key column 0, 1, 2, ... in order of first sight, found by typed value:
    /// text, bigint and int in their own maps, other types as boxed values, NULL as one value of its own.
    /// </summary>
    private sealed class KeyNumbers
    {
        private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);
        private readonly Dictionary<long, int> _byLong = [];
        private readonly Dictionary<int, int> _byInt = [];
        private readonly Dictionary<object?[], int> _byValue = new(RowComparer.Instance);
        private int _null = -1;

        // Text keys read dictionary-coded: a code maps to its number once per dictionary, not a string hash per row.
        private string[]? _lastDictionary;
        private int[] _numberOfCode = [];

        /// <summary>Each number's value, as the key column gives it.</summary>
        public List<object?> Values { get; } = [];

        /// <summary>
        /// Writes the number of each of the first <paramref name="count"/> values of <paramref name="key"/> into
        /// <paramref name="numbers"/>. <paramref name="created"/>, when given, is called for each new number and
        /// must return that same number (a new group of the one-key path).
        /// </summary>
        public void Number(ColumnVector key, int count, int[] numbers, Func<int>? created)
        {
            if (key is { DictionaryCodes: { } codes, DictionaryValues: { } dictionary })
            {
                NumberCoded(key, codes, dictionary, count, numbers, created);
                return;
            }

            for (var r = 0; r < count; r++)
            {
                numbers[r] = key.IsNull(r) ? NullNumber(created) : key.Values switch
                {
                    string[] text => Text(text[r], created),
                    long[] longs => Long(longs[r], created),
                    int[] ints => Int(ints[r], created),
                    _ => Value(key.GetValue(r), created),
                };
            }
        }

        private void NumberCoded(ColumnVector key, int[] codes, string[] dictionary, int count, int[] numbers, Func<int>? created)
        {
            if (!ReferenceEquals(dictionary, _lastDictionary))
            {
                _lastDictionary = dictionary;
                if (_numberOfCode.Length < dictionary.Length)
                {
                    _numberOfCode = new int[dictionary.Length];
                }

                _numberOfCode.AsSpan(0, dictionary.Length).Fill(-1);
            }

            var numberOfCode = _numberOfCode;
            var nulls = key.Nulls;
            for (var r = 0; r < count; r++)
            {
                int n;
                if (nulls is not null && nulls[r])
                {
                    n = NullNumber(created);
                }
                else if ((n = numberOfCode[codes[r]]) < 0)
                {
                    n = Text(dictionary[codes[r]], created);
                    numberOfCode[codes[r]] = n;
                }

                numbers[r] = n;
            }
        }

        /// <summary>This column's number for each of <paramref name="other"/>'s numbers, adding the values it lacks.</summary>
        public int[] Adopt(KeyNumbers other, Func<int>? created)
        {
            var numbers = new int[other.Values.Count];
            foreach (var (key, n) in other._byText)
            {
                numbers[n] = Text(key, created);
            }

            foreach (var (key, n) in other._byLong)
            {
                numbers[n] = Long(key, created);
            }

            foreach (var (key, n) in other._byInt)
            {
                numbers[n] = Int(key, created);
            }

            foreach (var (key, n) in other._byValue)
            {
                numbers[n] = Value(key[0], created);
            }

            if (other._null >= 0)
            {
                numbers[other._null] = NullNumber(created);
            }

            return numbers;
        }

        private int Add(object? value, Func<int>? created)
        {
            var n = Values.Count;
            Values.Add(value);
            if (created is not null && created() != n)
            {
                throw new InvalidOperationException("A one-key group must take its key's number.");
            }

            return n;
        }

        private int NullNumber(Func<int>? created) => _null >= 0 ? _null : _null = Add(null, created);

        private int Text(string key, Func<int>? created)
        {
            if (!_byText.TryGetValue(key, out var n))
            {
                n = Add(key, created);
                _byText.Add(key, n);
            }

            return n;
        }

        private int Long(long key, Func<int>? created)
        {
            if (!_byLong.TryGetValue(key, out var n))
            {
                n = Add(key, created);
                _byLong.Add(key, n);
            }

            return n;
        }

        private int Int(int key, Func<int>? created)
        {
            if (!_byInt.TryGetValue(key, out var n))
            {
                n = Add(key, created);
                _byInt.Add(key, n);
            }

            return n;
        }

        private int Value(object? key, Func<int>? created)
        {
            if (!_byValue.TryGetValue([key], out var n))
            {
                n = Add(key, created);
                _byValue.Add([key], n);
            }

            return n;
        }
    }
}
