using LumaDB.Query.Sql.Types;
namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>Equality and ordering of boxed SQL values and rows: byte arrays and arrays by content, text in byte (C collation) order.</summary>
internal sealed class RowComparer : IEqualityComparer<object?[]>
{
    public static RowComparer Instance { get; } = new();

    public bool Equals(object?[]? x, object?[]? y)
    {
        if (x is null || y is null || x.Length != y.Length)
        {
            return ReferenceEquals(x, y);
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (!ValueEquals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(object?[] obj)
    {
        var hash = new HashCode();
        foreach (var value in obj)
        {
            hash.Add(ValueHash(value));
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality where NULL equals NULL (grouping, DISTINCT, set operations).</summary>
    public static bool ValueEquals(object? x, object? y) => (x, y) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (float[] a, float[] b) => a.AsSpan().SequenceEqual(b),
        (object?[] a, object?[] b) => Instance.Equals(a, b),
        (double a, double b) => a.Equals(b),
        _ => x.Equals(y),
    };

    public static int ValueHash(object? value) => value switch
    {
        null => 0,
        byte[] b => b.Length == 0 ? 1 : HashBytes(b),
        float[] f => f.Length,
        object?[] a => Instance.GetHashCode(a),
        decimal d => NumericHash(d),
        _ => value.GetHashCode(),
    };

    /// <summary>A numeric's hash, the same for every scale of one value (1.0 and 1.00).</summary>
    public static int NumericHash(decimal value) => (value / 1.0000000000000000000000000000m).GetHashCode();

    private static int HashBytes(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    /// <summary>Orders two non-null values of one SQL type.</summary>
    public static int CompareValues(object x, object y) => (x, y) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b),
        (double a, double b) => CompareFloat(a, b),
        (float a, float b) => CompareFloat(a, b),
        (SqlInterval a, SqlInterval b) => a.CompareTo(b),
        (object?[] a, object?[] b) => CompareArrays(a, b),
        (float[] a, float[] b) => a.AsSpan().SequenceCompareTo(b),
        (IComparable a, _) => a.CompareTo(y),
        _ => 0,
    };

    /// <summary>
    /// PostgreSQL's float order: NaN equal to itself and above every other value (double.CompareTo puts it below).
    /// </summary>
    public static int CompareFloat(double a, double b)
    {
        if (double.IsNaN(a))
        {
            return double.IsNaN(b) ? 0 : 1;
        }

        if (double.IsNaN(b))
        {
            return -1;
        }

        return a < b ? -1 : a > b ? 1 : 0;
    }

    private static int CompareArrays(object?[] a, object?[] b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = (a[i], b[i]) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => CompareValues(a[i]!, b[i]!),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
