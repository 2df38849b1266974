using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Planning;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>
/// The groups of an aggregation with at most four keys and single-argument (or typed (Y, X)) aggregates without FILTER or ORDER BY:
/// each key column's values are numbered by their typed value (no per-row key array; dictionary-coded text once
/// per dictionary), one key's number is the group, and more keys' numbers pair up level by level (the first two
/// keys' numbers into a pair number, that with the third key's, ...), the last level's number being the group.
/// The common aggregates keep
/// typed per-group arrays (<see cref="GroupedAggregate"/>), the rest one accumulator per group. A parallel worker
/// keeps one of these as its partial result; partials of typed aggregates merge into one.
/// </summary>
internal sealed class KeyedGroups
{
    /// <summary>Most grouping keys this path takes.</summary>
    public const int MaxKeys = 4;

    private readonly IReadOnlyList<BoundExpression> _keys;
    private readonly IReadOnlyList<AggregateSpec> _aggregates;
    private readonly object?[][] _direct;
    private readonly GroupedAggregate?[] _typed;
    private readonly bool _allTyped;
    private readonly List<Accumulator[]?> _groups = [];
    private readonly KeyNumbers[] _numbers;
    private readonly ColumnVector?[] _arguments;

    // The X columns of the typed two-argument aggregates.
    private readonly ColumnVector?[] _seconds;

    // One key: the key's number is its group. More: level l pairs the number of level l - 1 (or of the first key)
    // with the number of key l + 1; the last level's numbers are the groups.
    private readonly PairNumbers[] _levels;
    private int[] _groupOf = [];
    private int[] _nextOf = [];

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
        _seconds = new ColumnVector?[aggregates.Count];
        _numbers = [.. keys.Select(_ => new KeyNumbers())];
        _levels = [.. Enumerable.Range(0, Math.Max(0, keys.Count - 1)).Select(_ => new PairNumbers())];
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

    /// <summary>The number of a pair at level <paramref name="level"/>, made on first sight (a new group at the last level).</summary>
    private int Pair(QueryRuntime runtime, int level, int left, int right)
    {
        var n = _levels[level].Number(left, right, out var added);
        if (added && level == _levels.Length - 1 && NewGroup(runtime) != n)
        {
            throw new InvalidOperationException("A last-level pair must take its group's number.");
        }

        return n;
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
                if (_nextOf.Length < count)
                {
                    _nextOf = new int[count];
                }

                // groupOf holds the first key's numbers, then each level's pair numbers, the last level's the groups.
                _numbers[0].Number(BatchOps.Evaluate(runtime, _keys[0], batch), count, groupOf, null);
                var next = _nextOf;
                for (var level = 0; level < _levels.Length; level++)
                {
                    _numbers[level + 1].Number(BatchOps.Evaluate(runtime, _keys[level + 1], batch), count, next, null);
                    for (var r = 0; r < count; r++)
                    {
                        groupOf[r] = Pair(runtime, level, groupOf[r], next[r]);
                    }
                }

                break;
        }

        var arguments = _arguments;
        for (var a = 0; a < arguments.Length; a++)
        {
            arguments[a] = _aggregates[a].Arguments.Count == 0 ? null : BatchOps.Evaluate(runtime, _aggregates[a].Arguments[0], batch);
            _seconds[a] = _aggregates[a].Arguments.Count < 2 ? null : BatchOps.Evaluate(runtime, _aggregates[a].Arguments[1], batch);
        }

        // Aggregate by aggregate, so each loop reads one typed column.
        for (var a = 0; a < arguments.Length; a++)
        {
            var argument = arguments[a];
            if (_typed[a] is { } grouped)
            {
                grouped.EnsureGroups(_groups.Count);
                if (!grouped.Add(argument, groupOf.AsSpan(0, count), _seconds[a]))
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
        Array.Clear(_seconds);
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
                // Level by level: the other's pair numbers translated through the translated numbers below them.
                var left = _numbers[0].Adopt(other._numbers[0], null);
                for (var level = 0; level < _levels.Length; level++)
                {
                    var right = _numbers[level + 1].Adopt(other._numbers[level + 1], null);
                    var pairs = other._levels[level].Pairs;
                    var translated = new int[pairs.Count];
                    for (var n = 0; n < translated.Length; n++)
                    {
                        translated[n] = Pair(runtime, level, left[pairs[n].Left], right[pairs[n].Right]);
                    }

                    left = translated;
                }

                Array.Copy(left, map, map.Length);
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
            // Unpair from the last level down to the first key's number.
            var number = g;
            for (var level = _levels.Length - 1; level >= 0; level--)
            {
                var (pairLeft, pairRight) = _levels[level].Pairs[number];
                row[level + 1] = _numbers[level + 1].Values[pairRight];
                number = pairLeft;
            }

            if (width > 0)
            {
                row[0] = _numbers[0].Values[number];
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

    /// <summary>Numbers distinct pairs of numbers 0, 1, 2, ... in order of first sight.</summary>
    private sealed class PairNumbers
    {
        private readonly Dictionary<long, int> _byPair = [];

        /// <summary>Each number's pair.</summary>
        public List<(int Left, int Right)> Pairs { get; } = [];

        /// <summary>The pair's number; <paramref name="added"/> tells whether it is new.</summary>
        public int Number(int left, int right, out bool added)
        {
            var pair = ((long)left << 32) | (uint)right;
            added = !_byPair.TryGetValue(pair, out var n);
            if (added)
            {
                n = Pairs.Count;
                Pairs.Add((left, right));
                _byPair.Add(pair, n);
            }

            return n;
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
        private readonly Dictionary<decimal, int> _byDecimal = new(NumericEquality.Instance);
        private readonly Dictionary<object?[], int> _byValue = new(RowComparer.Instance);

        // Looks a boxed value up without an array per row; a new entry gets its own array.
        private readonly object?[] _probe = new object?[1];
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
                    decimal[] decimals => Decimal(decimals[r], created),
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
            AdoptFrom(_byText, other._byText, numbers, created);
            AdoptFrom(_byLong, other._byLong, numbers, created);
            AdoptFrom(_byInt, other._byInt, numbers, created);
            AdoptFrom(_byDecimal, other._byDecimal, numbers, created);

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

        private void AdoptFrom<TKey>(Dictionary<TKey, int> map, Dictionary<TKey, int> other, int[] numbers, Func<int>? created)
            where TKey : notnull
        {
            foreach (var (key, n) in other)
            {
                numbers[n] = Number(map, key, created);
            }
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

        private int Text(string key, Func<int>? created) => Number(_byText, key, created);

        private int Long(long key, Func<int>? created) => Number(_byLong, key, created);

        private int Int(int key, Func<int>? created) => Number(_byInt, key, created);

        private int Decimal(decimal key, Func<int>? created) => Number(_byDecimal, key, created);

        /// <summary>The number of <paramref name="key"/> in one of the typed maps, made on first sight.</summary>
        private int Number<TKey>(Dictionary<TKey, int> map, TKey key, Func<int>? created)
            where TKey : notnull
        {
            if (!map.TryGetValue(key, out var n))
            {
                n = Add(key, created);
                map.Add(key, n);
            }

            return n;
        }

        private int Value(object? key, Func<int>? created)
        {
            _probe[0] = key;
            if (!_byValue.TryGetValue(_probe, out var n))
            {
                n = Add(key, created);
                _byValue.Add([key], n);
            }

            return n;
        }
    }

    /// <summary>Numeric equality by value (1.0 equals 1.00), hashed as <see cref="RowComparer"/> hashes numerics.</summary>
    private sealed class NumericEquality : IEqualityComparer<decimal>
    {
        public static NumericEquality Instance { get; } = new();

        public bool Equals(decimal x, decimal y) => x == y;

        public int GetHashCode(decimal obj) => RowComparer.NumericHash(obj);
    }
}
