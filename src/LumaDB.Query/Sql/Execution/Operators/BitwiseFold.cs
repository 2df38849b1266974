using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution.Operators;

/// <summary>The operation of bit_and, bit_or or bit_xor.</summary>
internal enum BitwiseOperation
{
    And,
    Or,
    Xor,
}

/// <summary>The fold of bit_and, bit_or and bit_xor, kept in 64 bits whatever the integer width of the input.</summary>
internal static class BitwiseFold
{
    /// <summary>The operation of aggregate <paramref name="name"/> (bit_and, bit_or or bit_xor).</summary>
    public static BitwiseOperation Of(string name) => name switch
    {
        "bit_and" => BitwiseOperation.And,
        "bit_or" => BitwiseOperation.Or,
        "bit_xor" => BitwiseOperation.Xor,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The running value combined with the next input.</summary>
    public static long Apply(BitwiseOperation operation, long running, long value) => operation switch
    {
        BitwiseOperation.And => running & value,
        BitwiseOperation.Or => running | value,
        _ => running ^ value,
    };

    /// <summary>The folded value as the input's own type (sign-extended inputs fold back into it exactly).</summary>
    public static object Box(long value, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Int2 => (object)(short)value,
        SqlTypeKind.Int4 => (object)(int)value,
        _ => (object)value,
    };
}
