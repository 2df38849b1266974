using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace LumaDB.Query.Sql.Types;

/// <summary>Cold throw helpers so that kernels and parsers keep their hot paths small.</summary>
internal static class SqlErrors
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(string sqlState, string message, string? hint = null) =>
        throw new SqlException(sqlState, message, hint);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void InvalidInput(SqlType type, string text) =>
        throw new SqlException(
            type.Category == SqlTypeCategory.DateTime || type.Category == SqlTypeCategory.Timespan ? SqlState.InvalidDatetimeFormat : SqlState.InvalidTextRepresentation,
            $"invalid input syntax for type {type.DisplayName}: \"{text}\"");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void InputOutOfRange(SqlType type, string text) =>
        throw new SqlException(SqlState.NumericValueOutOfRange, $"value \"{text}\" is out of range for type {type.DisplayName}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutOfRange(SqlType type) =>
        throw new SqlException(SqlState.NumericValueOutOfRange, $"{type.DisplayName} out of range");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DivisionByZero() =>
        throw new SqlException(SqlState.DivisionByZero, "division by zero");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FieldOutOfRange(string text) =>
        throw new SqlException(SqlState.DatetimeFieldOverflow, $"date/time field value out of range: \"{text}\"");
}
