using Apache.Arrow;
using LumaDB.Storage.Segments;

namespace LumaDB.Storage.Tests.Segments;

/// <summary>
/// The SIMD selection kernels of pushed predicates and top-k bounds select exactly the rows a row-by-row
/// comparison in PostgreSQL's float order (NaN equal to NaN, above every number) does, for every operator, at
/// lengths around the vector width, with NULLs and NaN (values and constants), over every row
/// and over an existing selection.
/// </summary>
public sealed class SelectionKernelTests
{
    private static readonly int[] Lengths = [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257];

    private static readonly CompareOp[] Ops = [CompareOp.Equal, CompareOp.Less, CompareOp.LessOrEqual, CompareOp.Greater, CompareOp.GreaterOrEqual];

    /// <summary>Values spread around small constants, with repeats, so every operator keeps some rows and drops some.</summary>
    private static long IntegerAt(int row) => ((row * 37) % 23) - 11;

    private static double RealAt(int row) => row % 19 == 7 ? double.NaN : (((row * 37) % 23) - 11) * 0.5;

    private static bool IsNullAt(int row, bool nulls) => nulls && row % 5 == 2;

    private static ColumnVector Vector(SegmentColumnKind kind, int length, bool nulls)
    {
        IArrowArray array;
        switch (kind)
        {
            case SegmentColumnKind.Int16:
                var shorts = new Int16Array.Builder();
                for (var i = 0; i < length; i++)
                {
                    _ = IsNullAt(i, nulls) ? shorts.AppendNull() : shorts.Append((short)IntegerAt(i));
                }

                array = shorts.Build();
                break;
            case SegmentColumnKind.Int32:
                var ints = new Int32Array.Builder();
                for (var i = 0; i < length; i++)
                {
                    _ = IsNullAt(i, nulls) ? ints.AppendNull() : ints.Append((int)IntegerAt(i));
                }

                array = ints.Build();
                break;
            case SegmentColumnKind.Int64:
                var longs = new Int64Array.Builder();
                for (var i = 0; i < length; i++)
                {
                    _ = IsNullAt(i, nulls) ? longs.AppendNull() : longs.Append(IntegerAt(i));
                }

                array = longs.Build();
                break;
            case SegmentColumnKind.TimestampMicros:
                var times = new TimestampArray.Builder(SegmentColumn.TimestampMicrosUtc);
                for (var i = 0; i < length; i++)
                {
                    _ = IsNullAt(i, nulls) ? times.AppendNull() : times.Append(DateTimeOffset.UnixEpoch.AddTicks(IntegerAt(i) * 10));
                }

                array = times.Build();
                break;
            case SegmentColumnKind.Float32:
                var floats = new FloatArray.Builder();
                for (var i = 0; i < length; i++)
                {
                    _ = IsNullAt(i, nulls) ? floats.AppendNull() : floats.Append((float)RealAt(i));
                }

                array = floats.Build();
                break;
            default:
                var doubles = new DoubleArray.Builder();
                for (var i = 0; i < length; i++)
                {
                    _ = IsNullAt(i, nulls) ? doubles.AppendNull() : doubles.Append(RealAt(i));
                }

                array = doubles.Build();
                break;
        }

        var vector = ColumnVector.Create(new SegmentColumn(0, "x", kind, isNullable: true));
        vector.Append(array, 0, length);
        return vector;
    }

    private static bool IsReal(SegmentColumnKind kind) => kind is SegmentColumnKind.Float32 or SegmentColumnKind.Float64;

    private static double ValueAt(SegmentColumnKind kind, int row) => kind == SegmentColumnKind.Float32 ? (float)RealAt(row) : IsReal(kind) ? RealAt(row) : IntegerAt(row);

    /// <summary>PostgreSQL's float order, written out: NaN equals NaN and ranks above every number.</summary>
    private static int PgOrder(double value, double constant) =>
        double.IsNaN(value) ? (double.IsNaN(constant) ? 0 : 1) : double.IsNaN(constant) ? -1 : Math.Sign(value - constant);

    private static bool Holds(CompareOp op, double value, double constant) => op switch
    {
        CompareOp.Equal => PgOrder(value, constant) == 0,
        CompareOp.Less => PgOrder(value, constant) < 0,
        CompareOp.LessOrEqual => PgOrder(value, constant) <= 0,
        CompareOp.Greater => PgOrder(value, constant) > 0,
        _ => PgOrder(value, constant) >= 0,
    };

    public static TheoryData<SegmentColumnKind, bool> Kinds()
    {
        var data = new TheoryData<SegmentColumnKind, bool>();
        foreach (var kind in new[] { SegmentColumnKind.Int16, SegmentColumnKind.Int32, SegmentColumnKind.Int64, SegmentColumnKind.TimestampMicros, SegmentColumnKind.Float32, SegmentColumnKind.Float64 })
        {
            data.Add(kind, false);
            data.Add(kind, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Predicate_kernels_select_what_a_row_by_row_compare_selects(SegmentColumnKind kind, bool nulls)
    {
        // Constants inside the values, at their edges, beyond them, and (integers) beyond what the column type holds.
        var constants = IsReal(kind)
            ? new[] { -11.0, -3.5, 0, 2.5, 5.25, 11, 100, double.NaN, double.PositiveInfinity, double.NegativeInfinity }.Select(c => ColumnPredicate.Compare("x", CompareOp.Equal, c)).ToList()
            : new[] { -11L, -3, 0, 5, 11, 12, long.MinValue, long.MaxValue, (long)int.MaxValue + 5, (long)int.MinValue - 5, short.MaxValue + 1L }
                .Select(c => ColumnPredicate.Compare("x", CompareOp.Equal, c)).ToList();
        foreach (var length in Lengths)
        {
            using var vector = Vector(kind, length, nulls);
            foreach (var op in Ops)
            {
                foreach (var template in constants)
                {
                    var predicate = IsReal(kind) ? ColumnPredicate.Compare("x", op, template.Real) : ColumnPredicate.Compare("x", op, template.Integer);
                    var constant = IsReal(kind) ? template.Real : template.Integer;
                    var expected = Enumerable.Range(0, length)
                        .Where(i => !IsNullAt(i, nulls) && (IsReal(kind) ? Holds(op, ValueAt(kind, i), constant) : Compare(op, IntegerAt(i), template.Integer)))
                        .ToArray();

                    // Over every row.
                    var selection = new int[length];
                    var count = vector.Select(predicate, selection, length, all: true);
                    Assert.Equal(expected, selection[..count]);

                    // Over an existing selection (every third row), as the second predicate of a conjunction sees it.
                    var thirds = Enumerable.Range(0, length).Where(i => i % 3 == 1).ToArray();
                    var narrowed = vector.Select(predicate, thirds, thirds.Length, all: false);
                    Assert.Equal(expected.Where(i => i % 3 == 1).ToArray(), thirds[..narrowed]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Top_k_bound_kernels_keep_every_row_not_strictly_worse(SegmentColumnKind kind, bool nulls)
    {
        foreach (var length in Lengths)
        {
            using var vector = Vector(kind, length, nulls);
            foreach (var descending in new[] { true, false })
            {
                foreach (var nullsFirst in new[] { true, false })
                {
                    foreach (var at in new[] { -11.0, -2.5, 0, 4, 11, 20 })
                    {
                        var bound = new TopKBound("x", descending, nullsFirst);
                        if (IsReal(kind))
                        {
                            bound.Tighten(at);
                        }
                        else
                        {
                            bound.Tighten((long)Math.Floor(at));
                        }

                        var limit = IsReal(kind) ? at : Math.Floor(at);

                        // NaN ranks above every number (PostgreSQL): best descending, worst ascending.
                        var expected = Enumerable.Range(0, length).Where(i => IsNullAt(i, nulls)
                            ? nullsFirst
                            : double.IsNaN(ValueAt(kind, i)) ? descending : descending ? ValueAt(kind, i) >= limit : ValueAt(kind, i) <= limit).ToArray();

                        var selection = new int[length];
                        var count = vector.SelectBound(bound, bound.Current!, selection, length, all: true);
                        Assert.Equal(expected, selection[..count]);

                        var odd = Enumerable.Range(0, length).Where(i => i % 2 == 1).ToArray();
                        var narrowed = vector.SelectBound(bound, bound.Current!, odd, odd.Length, all: false);
                        Assert.Equal(expected.Where(i => i % 2 == 1).ToArray(), odd[..narrowed]);
                    }
                }
            }
        }
    }

    private static bool Compare(CompareOp op, long value, long constant) => op switch
    {
        CompareOp.Equal => value == constant,
        CompareOp.Less => value < constant,
        CompareOp.LessOrEqual => value <= constant,
        CompareOp.Greater => value > constant,
        _ => value >= constant,
    };
}
