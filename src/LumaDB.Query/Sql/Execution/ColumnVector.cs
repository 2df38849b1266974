using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>
/// One column of a batch inside the evaluator: a typed CLR array (the value shapes of <see cref="SqlText"/>)
/// plus a byte-per-row null mask, which kernels read as spans. Rows that are null hold the default value.
/// </summary>
public sealed class ColumnVector
{
    /// <summary>Wraps <paramref name="values"/>; <paramref name="nulls"/> is null when no row is null.</summary>
    public ColumnVector(SqlType type, Array values, bool[]? nulls)
    {
        Type = type;
        _values = values;
        _length = values.Length;
        Nulls = nulls;
    }

    /// <summary>
    /// A dictionary-coded text column whose per-row strings are made only when something reads <see cref="Values"/>:
    /// operators that group or join on the codes never pay for a string reference per row.
    /// </summary>
    internal static ColumnVector Coded(SqlType type, int[] codes, string[] dictionary, bool[]? nulls) =>
        new(type, codes.Length, nulls) { DictionaryCodes = codes, DictionaryValues = dictionary };

    private ColumnVector(SqlType type, int length, bool[]? nulls)
    {
        Type = type;
        _length = length;
        Nulls = nulls;
    }

    private Array? _values;
    private readonly int _length;

    /// <summary>
    /// A column a scan did not read because no expression of the query refers to it: it has no values, reads
    /// as NULL through <see cref="IsNull"/>/<see cref="GetValue"/>, and stays absent through gathers and concats,
    /// so whole-batch operators carry it at no cost.
    /// </summary>
    public static ColumnVector Absent(SqlType type) => new(type, NewArray(type, 0), null) { IsAbsent = true };

    /// <summary>
    /// For text read from storage as a dictionary: per row, the index of its value in
    /// <see cref="DictionaryValues"/> (0 at null rows). Operators that group or join on text use the codes instead
    /// of hashing strings. Only set on fresh columns whose <see cref="Values"/> nobody writes afterwards.
    /// </summary>
    public int[]? DictionaryCodes { get; init; }

    /// <summary>The distinct values <see cref="DictionaryCodes"/> index; shared by every batch of one storage dictionary.</summary>
    public string[]? DictionaryValues { get; init; }

    /// <summary>True for a column made by <see cref="Absent"/>.</summary>
    public bool IsAbsent { get; private init; }

    /// <summary>The SQL type of the values.</summary>
    public SqlType Type { get; }

    /// <summary>The typed value array, such as int[] for int4.</summary>
    public Array Values => _values ?? DecodeCodes();

    /// <summary>True at null rows; null when the column has no nulls.</summary>
    public bool[]? Nulls { get; private set; }

    /// <summary>Number of rows.</summary>
    public int Length => _length;

    // Several workers may read one shared column (a join's build side): they make equal arrays and one is kept.
    private string?[] DecodeCodes()
    {
        var codes = DictionaryCodes!;
        var dictionary = DictionaryValues!;
        var nulls = Nulls;
        var strings = new string?[codes.Length];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = nulls is not null && nulls[i] ? null : dictionary[codes[i]];
        }

        return (string?[])(Interlocked.CompareExchange(ref _values, strings, null) ?? strings);
    }

    /// <summary>The values as a typed array.</summary>
    public T[] As<T>() => (T[])Values;

    /// <summary>True when row <paramref name="row"/> is null.</summary>
    public bool IsNull(int row) => (Nulls is not null && Nulls[row]) || IsAbsent;

    /// <summary>Allocates a column of <paramref name="length"/> default values with no nulls.</summary>
    public static ColumnVector Allocate(SqlType type, int length) => new(type, NewArray(type, length), null);

    /// <summary>Marks a row null, allocating the mask on first use.</summary>
    public void SetNull(int row)
    {
        Nulls ??= new bool[Length];
        Nulls[row] = true;
    }

    /// <summary>Row <paramref name="row"/> as a boxed value, or null.</summary>
    public object? GetValue(int row) => IsNull(row) ? null : Values.GetValue(row);

    /// <summary>Builds a column from boxed values (null for SQL NULL).</summary>
    public static ColumnVector FromValues(SqlType type, IReadOnlyList<object?> values)
    {
        var column = Allocate(type, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
            {
                column.SetNull(i);
            }
            else
            {
                column.Values.SetValue(values[i], i);
            }
        }

        return column;
    }

    /// <summary>A column repeating one value <paramref name="length"/> times.</summary>
    public static ColumnVector Repeat(SqlType type, object? value, int length)
    {
        var column = Allocate(type, length);
        if (value is null)
        {
            column.Nulls = new bool[length];
            column.Nulls.AsSpan().Fill(true);
            return column;
        }

        switch (column.Values)
        {
            case int[] a: a.AsSpan().Fill((int)value); break;
            case long[] a: a.AsSpan().Fill((long)value); break;
            case double[] a: a.AsSpan().Fill((double)value); break;
            case bool[] a: a.AsSpan().Fill((bool)value); break;
            default:
                for (var i = 0; i < length; i++)
                {
                    column.Values.SetValue(value, i);
                }

                break;
        }

        return column;
    }

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public ColumnVector Gather(ReadOnlySpan<int> rows)
    {
        if (IsAbsent)
        {
            return this;
        }

        int[]? codes = null;
        if (DictionaryCodes is { } sourceCodes)
        {
            // Gathered text keeps its dictionary codes, so a join's output still groups by code.
            codes = new int[rows.Length];
            Gather(sourceCodes, rows, codes);
            if (_values is null)
            {
                // Strings not made yet: the gathered column stays codes only.
                bool[]? gatheredNulls = null;
                if (Nulls is { } sourceNulls)
                {
                    gatheredNulls = new bool[rows.Length];
                    Gather(sourceNulls, rows, gatheredNulls);
                }

                return Coded(Type, codes, DictionaryValues!, gatheredNulls);
            }
        }

        var result = codes is null ? Allocate(Type, rows.Length) : new ColumnVector(Type, NewArray(Type, rows.Length), null) { DictionaryCodes = codes, DictionaryValues = DictionaryValues };
        for (var i = 0; i < rows.Length; i++)
        {
            if (IsNull(rows[i]))
            {
                result.SetNull(i);
            }
        }

        CopyRows(Values, rows, result.Values);
        return result;
    }

    private static void CopyRows(Array source, ReadOnlySpan<int> rows, Array target)
    {
        switch (source)
        {
            case int[] s: Gather(s, rows, (int[])target); break;
            case long[] s: Gather(s, rows, (long[])target); break;
            case double[] s: Gather(s, rows, (double[])target); break;
            case bool[] s: Gather(s, rows, (bool[])target); break;
            case string[] s: Gather(s, rows, (string[])target); break;
            default:
                for (var i = 0; i < rows.Length; i++)
                {
                    target.SetValue(source.GetValue(rows[i]), i);
                }

                break;
        }
    }

    private static void Gather<T>(T[] source, ReadOnlySpan<int> rows, T[] target)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            target[i] = source[rows[i]];
        }
    }

    /// <summary>Writes this column's rows into <paramref name="target"/> at <paramref name="rows"/>.</summary>
    public void ScatterInto(ColumnVector target, ReadOnlySpan<int> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            if (IsNull(i))
            {
                target.SetNull(rows[i]);
            }
            else
            {
                target.Values.SetValue(Values.GetValue(i), rows[i]);
                if (target.Nulls is not null)
                {
                    target.Nulls[rows[i]] = false;
                }
            }
        }
    }

    /// <summary>A new typed array for <paramref name="type"/>.</summary>
    public static Array NewArray(SqlType type, int length) => type.Kind switch
    {
        SqlTypeKind.Boolean => new bool[length],
        SqlTypeKind.Int2 => new short[length],
        SqlTypeKind.Int4 or SqlTypeKind.Date => new int[length],
        SqlTypeKind.Int8 or SqlTypeKind.Time or SqlTypeKind.Timestamp or SqlTypeKind.TimestampTz => new long[length],
        SqlTypeKind.Float4 => new float[length],
        SqlTypeKind.Float8 => new double[length],
        SqlTypeKind.Numeric => new decimal[length],
        SqlTypeKind.Bytea => new byte[]?[length],
        SqlTypeKind.Interval => new SqlInterval[length],
        SqlTypeKind.Uuid => new Guid[length],
        SqlTypeKind.Vector => new float[]?[length],
        SqlTypeKind.Array => new object?[]?[length],
        _ => new string?[length],
    };
}
