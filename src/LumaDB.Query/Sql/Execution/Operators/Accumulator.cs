using System.Text;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>The running state of one aggregate for one group.</summary>
internal abstract class Accumulator
{
    /// <summary>Adds one input row's argument values (the first is the aggregated value).</summary>
    public abstract void Add(object?[] arguments);

    /// <summary>
    /// Adds row <paramref name="row"/> of a single-argument aggregate's argument column (null for <c>count(*)</c>).
    /// The common aggregates read the typed array directly, so the hot loop neither boxes nor allocates.
    /// </summary>
    public virtual void AddRow(ColumnVector? argument, int row) => Add([argument?.GetValue(row)]);

    /// <summary>The aggregate's value for the rows added.</summary>
    public abstract object? Result();

    public static Accumulator Create(AggregateSpec spec, object?[] direct)
    {
        var argumentType = spec.Arguments.Count > 0 ? spec.Arguments[0].Type : null;
        Accumulator inner = spec.Name switch
        {
            "count" => new CountAccumulator(spec.Arguments.Count == 0),
            "sum" => new SumAccumulator(spec.Type, average: false),
            "avg" => new SumAccumulator(spec.Type, average: true),
            "min" => new ExtremeAccumulator(max: false),
            "max" => new ExtremeAccumulator(max: true),
            "stddev" or "stddev_samp" => new VarianceAccumulator(spec.Type, sample: true, root: true),
            "stddev_pop" => new VarianceAccumulator(spec.Type, sample: false, root: true),
            "variance" or "var_samp" => new VarianceAccumulator(spec.Type, sample: true, root: false),
            "var_pop" => new VarianceAccumulator(spec.Type, sample: false, root: false),
            "bool_and" or "every" => new BoolAccumulator(isAnd: true),
            "bool_or" => new BoolAccumulator(isAnd: false),
            "string_agg" => new StringAggAccumulator(),
            "array_agg" => new ArrayAggAccumulator(),
            "json_agg" or "jsonb_agg" or "json_object_agg" or "jsonb_object_agg" => new JsonAggregateAccumulator(spec),
            "percentile_cont" or "percentile_disc" => new PercentileAccumulator(spec.Name == "percentile_cont", direct.Length > 0 ? direct[0] : null, argumentType),
            "bit_and" or "bit_or" or "bit_xor" => new BitAccumulator(spec.Name, spec.Type),
            "mode" => new ModeAccumulator(),
            _ when RegressionState.KindOf(spec.Name) is { } kind => new RegressionAccumulator(kind),
            _ => throw new SqlException(SqlState.UndefinedFunction, $"function {spec.Name} does not exist"),
        };
        return spec.Distinct ? new DistinctAccumulator(inner, wholeRow: spec.Arguments.Count == 2 && RegressionState.KindOf(spec.Name) is not null) : inner;
    }

    private sealed class CountAccumulator(bool star) : Accumulator
    {
        private long _count;

        public override void Add(object?[] arguments)
        {
            if (star || arguments[0] is not null)
            {
                _count++;
            }
        }

        public override void AddRow(ColumnVector? argument, int row)
        {
            if (star || (argument is not null && !argument.IsNull(row)))
            {
                _count++;
            }
        }

        public override object? Result() => _count;
    }

    private sealed class SumAccumulator(SqlType type, bool average) : Accumulator
    {
        private decimal _decimal;
        private double _double;
        private SqlInterval _interval;
        private long _count;
        private long _small;
        private bool _useDouble;

        public override void AddRow(ColumnVector? argument, int row)
        {
            if (argument is null || argument.IsNull(row))
            {
                return;
            }

            switch (argument.Values)
            {
                case double[] d: _count++; _double += d[row]; _useDouble = true; break;

                // Fewer than 2^32 int4 values cannot overflow a long; it joins the decimal total at the end.
                case int[] i: _count++; _small += i[row]; break;
                case short[] h: _count++; _small += h[row]; break;
                default: Add([argument.GetValue(row)]); break;
            }
        }

        public override void Add(object?[] arguments)
        {
            var value = arguments[0];
            if (value is null)
            {
                return;
            }

            _count++;
            switch (value)
            {
                case short s: _decimal += s; break;
                case int i: _decimal += i; break;
                case long l: _decimal += l; break;
                case decimal d: _decimal += d; break;
                case float f: _double += f; _useDouble = true; break;
                case double d: _double += d; _useDouble = true; break;
                case SqlInterval iv: _interval = new SqlInterval(_interval.Months + iv.Months, _interval.Days + iv.Days, _interval.Microseconds + iv.Microseconds); break;
                default: throw new SqlException(SqlState.DatatypeMismatch, "cannot sum this type");
            }
        }

        public override object? Result()
        {
            if (_count == 0)
            {
                return null;
            }

            _decimal += _small;
            _small = 0;
            if (type.Kind == SqlTypeKind.Interval)
            {
                return average
                    ? new SqlInterval((int)(_interval.Months / _count), (int)(_interval.Days / _count), _interval.Microseconds / _count)
                    : _interval;
            }

            if (_useDouble)
            {
                var total = average ? _double / _count : _double;
                return type.Kind == SqlTypeKind.Float4 ? (object)(float)total : total;
            }

            if (!average)
            {
                return type.Kind switch
                {
                    SqlTypeKind.Int8 => (object)checked((long)_decimal),
                    _ => (object)_decimal,
                };
            }

            return NumericMath.Divide(_decimal, _count);
        }
    }

    private sealed class ExtremeAccumulator(bool max) : Accumulator
    {
        private object? _best;

        // Typed running extremes of int, bigint and float8 arguments: no boxing per improvement.
        private long _long;
        private double _double;
        private TypedState _state;

        private enum TypedState : byte
        {
            None,
            Int,
            Long,
            Double,
        }

        public override void Add(object?[] arguments)
        {
            var value = arguments[0];
            if (value is null)
            {
                return;
            }

            var best = Result();
            if (best is null || (RowComparer.CompareValues(value, best) is var c && (max ? c > 0 : c < 0)))
            {
                _best = value;
                _state = TypedState.None;
            }
        }

        public override void AddRow(ColumnVector? argument, int row)
        {
            if (argument is null || argument.IsNull(row))
            {
                return;
            }

            switch (argument.Values)
            {
                case long[] l when _best is null:
                    var lv = l[row];
                    if (_state != TypedState.Long)
                    {
                        if (_state != TypedState.None)
                        {
                            goto default;
                        }

                        _state = TypedState.Long;
                        _long = lv;
                    }
                    else if (max ? lv > _long : lv < _long)
                    {
                        _long = lv;
                    }

                    break;
                case int[] i when _best is null:
                    long iv = i[row];
                    if (_state != TypedState.Int)
                    {
                        if (_state != TypedState.None)
                        {
                            goto default;
                        }

                        _state = TypedState.Int;
                        _long = iv;
                    }
                    else if (max ? iv > _long : iv < _long)
                    {
                        _long = iv;
                    }

                    break;
                case double[] d when _best is null && !double.IsNaN(d[row]) && (_state != TypedState.Double || !double.IsNaN(_double)):
                    var dv = d[row];
                    if (_state != TypedState.Double)
                    {
                        if (_state != TypedState.None)
                        {
                            goto default;
                        }

                        _state = TypedState.Double;
                        _double = dv;
                    }
                    else if (max ? dv > _double : dv < _double)
                    {
                        _double = dv;
                    }

                    break;
                default:
                    Add([argument.GetValue(row)]);
                    break;
            }
        }

        public override object? Result() => _state switch
        {
            TypedState.Int => (int)_long,
            TypedState.Long => _long,
            TypedState.Double => _double,
            _ => _best,
        };
    }

    private sealed class VarianceAccumulator(SqlType type, bool sample, bool root) : Accumulator
    {
        private readonly List<double> _doubles = [];
        private readonly List<decimal> _decimals = [];

        public override void Add(object?[] arguments)
        {
            switch (arguments[0])
            {
                case null: break;
                case float f: _doubles.Add(f); break;
                case double d: _doubles.Add(d); break;
                case object o: _decimals.Add(Convert.ToDecimal(o, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }

        public override object? Result()
        {
            if (type.Kind == SqlTypeKind.Float8)
            {
                var n = _doubles.Count;
                if (n == 0 || (sample && n == 1))
                {
                    return null;
                }

                var mean = _doubles.Average();
                var sum = _doubles.Sum(v => (v - mean) * (v - mean));
                var variance = sum / (sample ? n - 1 : n);
                return root ? Math.Sqrt(variance) : variance;
            }

            var count = _decimals.Count;
            if (count == 0 || (sample && count == 1))
            {
                return null;
            }

            var avg = _decimals.Sum() / count;
            var squares = _decimals.Sum(v => (v - avg) * (v - avg));
            var result = NumericMath.Divide(squares, sample ? count - 1 : count);
            return root ? NumericMath.Divide((decimal)Math.Sqrt((double)result), 1m) : result;
        }
    }

    private sealed class BoolAccumulator(bool isAnd) : Accumulator
    {
        private bool? _value;

        public override void Add(object?[] arguments)
        {
            if (arguments[0] is bool b)
            {
                _value = _value is null ? b : isAnd ? _value.Value && b : _value.Value || b;
            }
        }

        public override object? Result() => _value;
    }

    private sealed class StringAggAccumulator : Accumulator
    {
        private StringBuilder? _text;

        public override void Add(object?[] arguments)
        {
            if (arguments[0] is not string value)
            {
                return;
            }

            if (_text is null)
            {
                _text = new StringBuilder(value);
            }
            else
            {
                _text.Append(arguments.Length > 1 ? arguments[1] as string : null).Append(value);
            }
        }

        public override object? Result() => _text?.ToString();
    }

    private sealed class ArrayAggAccumulator : Accumulator
    {
        private List<object?>? _items;

        public override void Add(object?[] arguments) => (_items ??= []).Add(arguments[0]);

        public override object? Result() => _items?.ToArray();
    }

    private sealed class PercentileAccumulator(bool continuous, object? fraction, SqlType? type) : Accumulator
    {
        private readonly List<object> _values = [];

        public override void Add(object?[] arguments)
        {
            if (arguments[0] is not null)
            {
                _values.Add(arguments[0]!);
            }
        }

        public override object? Result()
        {
            if (fraction is null || _values.Count == 0)
            {
                return null;
            }

            var p = Convert.ToDouble(fraction, System.Globalization.CultureInfo.InvariantCulture);
            if (p is < 0 or > 1 || double.IsNaN(p))
            {
                throw new SqlException(SqlState.NumericValueOutOfRange, $"percentile value {p.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not between 0 and 1");
            }

            // The input arrives ordered by the WITHIN GROUP clause.
            if (!continuous)
            {
                var index = Math.Max(0, (int)Math.Ceiling(p * _values.Count) - 1);
                return _values[index];
            }

            var position = p * (_values.Count - 1);
            var lower = (int)Math.Floor(position);
            var upper = (int)Math.Ceiling(position);
            var low = Convert.ToDouble(_values[lower], System.Globalization.CultureInfo.InvariantCulture);
            var high = Convert.ToDouble(_values[upper], System.Globalization.CultureInfo.InvariantCulture);
            _ = type;
            return low + ((high - low) * (position - lower));
        }
    }

    /// <summary>
    /// Feeds each distinct input once: distinct first arguments, or with <paramref name="wholeRow"/> distinct
    /// argument rows (the (Y, X) pairs of the statistics aggregates, which skip a row with either one NULL). Rows
    /// are fed in sorted order, as PostgreSQL's DISTINCT sorts them, since float sums depend on their order.
    /// </summary>
    private sealed class DistinctAccumulator(Accumulator inner, bool wholeRow = false) : Accumulator
    {
        private readonly HashSet<object?[]> _seen = new(RowComparer.Instance);
        private List<object?[]>? _rows;

        public override void Add(object?[] arguments)
        {
            if (wholeRow)
            {
                if (Array.IndexOf(arguments, null) < 0 && !_seen.Contains(arguments))
                {
                    var row = (object?[])arguments.Clone();
                    _seen.Add(row);
                    (_rows ??= []).Add(row);
                }

                return;
            }

            if (arguments[0] is not null && _seen.Add([arguments[0]]))
            {
                inner.Add(arguments);
            }
        }

        public override object? Result()
        {
            if (_rows is { } rows)
            {
                rows.Sort(static (x, y) =>
                {
                    for (var i = 0; i < x.Length; i++)
                    {
                        if (RowComparer.CompareValues(x[i]!, y[i]!) is var c && c != 0)
                        {
                            return c;
                        }
                    }

                    return 0;
                });
                foreach (var row in rows)
                {
                    inner.Add(row);
                }

                _rows = null;
            }

            return inner.Result();
        }
    }

    /// <summary>bit_and, bit_or and bit_xor over int2, int4 or int8: the bitwise fold of the non-null inputs, NULL for none.</summary>
    private sealed class BitAccumulator(string name, SqlType type) : Accumulator
    {
        private readonly BitwiseOperation _operation = BitwiseFold.Of(name);
        private long _value;
        private bool _any;

        public override void Add(object?[] arguments)
        {
            switch (arguments[0])
            {
                case short s: Fold(s); break;
                case int i: Fold(i); break;
                case long l: Fold(l); break;
            }
        }

        public override void AddRow(ColumnVector? argument, int row)
        {
            if (argument is null || argument.IsNull(row))
            {
                return;
            }

            switch (argument.Values)
            {
                case int[] i: Fold(i[row]); break;
                case long[] l: Fold(l[row]); break;
                case short[] h: Fold(h[row]); break;
                default: Add([argument.GetValue(row)]); break;
            }
        }

        private void Fold(long value)
        {
            _value = _any ? BitwiseFold.Apply(_operation, _value, value) : value;
            _any = true;
        }

        public override object? Result() => _any ? BitwiseFold.Box(_value, type) : null;
    }

    /// <summary>The (Y, X) statistics aggregates: rows where either argument is NULL are skipped.</summary>
    private sealed class RegressionAccumulator(RegressionKind kind) : Accumulator
    {
        private RegressionState _state;

        public override void Add(object?[] arguments)
        {
            if (arguments.Length == 2 && arguments[0] is double y && arguments[1] is double x)
            {
                _state.Add(y, x);
            }
        }

        public override object? Result() => _state.Result(kind);
    }

    /// <summary>
    /// mode() WITHIN GROUP (ORDER BY x): the most frequent non-null value. The input arrives sorted, so equal
    /// values are adjacent; of values equally frequent, the first in that order wins.
    /// </summary>
    private sealed class ModeAccumulator : Accumulator
    {
        private object? _current;
        private long _currentCount;
        private object? _best;
        private long _bestCount;

        public override void Add(object?[] arguments)
        {
            var value = arguments[0];
            if (value is null)
            {
                return;
            }

            if (_current is not null && RowComparer.CompareValues(_current, value) == 0)
            {
                _currentCount++;
            }
            else
            {
                _current = value;
                _currentCount = 1;
            }

            if (_currentCount > _bestCount)
            {
                _best = _current;
                _bestCount = _currentCount;
            }
        }

        public override object? Result() => _best;
    }
}
