using System.Security.Cryptography;
using LumaDB.Engine.Catalog;
using LumaDB.Engine.Hosting;
using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Catalog;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Kernels of the volatile functions: sequence functions and random values, computed row by row.</summary>
public sealed partial class ExpressionEvaluator
{
    private (object Argument, SequenceDefinition Sequence)? _lastSequence;

    private ColumnVector? SequenceFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        switch (call.Function)
        {
            case ScalarFunction.NextVal:
                return Strict(args, call.Type, rowCount, row =>
                {
                    var sequence = SequenceArgument(args[0].GetValue(row)!);
                    long value;
                    try
                    {
                        value = SequenceTransaction.NextSequenceValue(sequence);
                    }
                    catch (SequenceLimitException error)
                    {
                        throw new SqlException(SqlState.SequenceGeneratorLimitExceeded, error.Message);
                    }

                    _context.Sequences?.Advanced(sequence.Id, value);
                    return value;
                });
            case ScalarFunction.CurrVal:
                return Strict(args, call.Type, rowCount, row =>
                {
                    var sequence = SequenceArgument(args[0].GetValue(row)!);
                    return _context.Sequences?.Current(sequence.Id)
                        ?? throw new SqlException(SqlState.ObjectNotInPrerequisiteState, $"currval of sequence \"{sequence.Name}\" is not yet defined in this session");
                });
            case ScalarFunction.LastVal:
                return Rows(call.Type, rowCount, _ =>
                {
                    const string undefined = "lastval is not yet defined in this session";
                    var id = _context.Sequences?.LastUsed ?? throw new SqlException(SqlState.ObjectNotInPrerequisiteState, undefined);
                    if (CatalogContext.Catalog.FindSequence(id) is null)
                    {
                        throw new SqlException(SqlState.ObjectNotInPrerequisiteState, undefined);
                    }

                    return _context.Sequences.Current(id);
                });
            case ScalarFunction.SetVal:
                return Strict(args, call.Type, rowCount, row =>
                {
                    var sequence = SequenceArgument(args[0].GetValue(row)!);
                    var value = (long)args[1].GetValue(row)!;
                    var isCalled = args.Length < 3 || (bool)args[2].GetValue(row)!;
                    if (value < sequence.MinValue || value > sequence.MaxValue)
                    {
                        throw new SqlException(
                            SqlState.NumericValueOutOfRange,
                            $"setval: value {value} is out of bounds for sequence \"{sequence.Name}\" ({sequence.MinValue}..{sequence.MaxValue})");
                    }

                    SequenceTransaction.SetSequenceValue(sequence, value, isCalled);
                    if (isCalled)
                    {
                        _context.Sequences?.Set(sequence.Id, value);
                    }

                    return value;
                });
            case ScalarFunction.SequenceRead:
                // One field of a sequence read as a relation: 0 last_value, 1 log_cnt, 2 is_called.
                return Rows(call.Type, rowCount, row =>
                {
                    var (last, logCount, isCalled) = SequenceTransaction.PeekSequence(SequenceArgument(args[0].GetValue(row)!));
                    return (int)args[1].GetValue(row)! switch
                    {
                        0 => last,
                        1 => logCount,
                        _ => (object)isCalled,
                    };
                });
            case ScalarFunction.Random:
                {
                    var result = ColumnVector.Allocate(call.Type, rowCount);
                    var values = (double[])result.Values;
                    for (var row = 0; row < rowCount; row++)
                    {
                        values[row] = Random.Shared.NextDouble();
                    }

                    return result;
                }

            case ScalarFunction.GenRandomUuid:
                {
                    // Version 4 (random) UUIDs from the cryptographic generator, as PostgreSQL's are.
                    var result = ColumnVector.Allocate(call.Type, rowCount);
                    var values = (Guid[])result.Values;
                    Span<byte> bytes = stackalloc byte[16];
                    for (var row = 0; row < rowCount; row++)
                    {
                        RandomNumberGenerator.Fill(bytes);
                        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
                        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
                        values[row] = new Guid(bytes, bigEndian: true);
                    }

                    return result;
                }

            default:
                return null;
        }
    }

    private Engine.Transactions.Transaction SequenceTransaction => _context.Runtime?.Transaction
        ?? throw new SqlException(SqlState.FeatureNotSupported, "sequence functions need a database session");

    /// <summary>
    /// The sequence a call names. The argument is nearly always the same constant for every row (an identity or
    /// serial default inserting many rows), so the last resolution is kept: the statement's catalog cannot change
    /// under it.
    /// </summary>
    private SequenceDefinition SequenceArgument(object argument)
    {
        if (_lastSequence is { } last && Equals(last.Argument, argument))
        {
            return last.Sequence;
        }

        var sequence = PgCatalog.SequenceOf(CatalogContext.Catalog, argument);
        _lastSequence = (argument, sequence);
        return sequence;
    }
}
