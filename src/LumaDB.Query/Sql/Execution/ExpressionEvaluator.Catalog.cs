using LumaDB.Query.Sql.Binding;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Execution;

/// <summary>Kernels of the session and server information functions.</summary>
public sealed partial class ExpressionEvaluator
{
    /// <summary>The text version() reports; clients parse the leading "PostgreSQL x.y".</summary>
    public const string VersionText = "PostgreSQL 15.6 (LumaDB) on x86_64-pc-linux-gnu, compiled by .NET, 64-bit";

    private ColumnVector CatalogFunction(BoundFunction call, ColumnVector[] args, int rowCount)
    {
        switch (call.Function)
        {
            case ScalarFunction.Version:
                return ColumnVector.Repeat(SqlType.Text, VersionText, rowCount);
            case ScalarFunction.CurrentDatabase:
                // The protocol layer records the database a session connected to as a custom setting.
                return ColumnVector.Repeat(SqlType.Text, _context.Settings?.Get("luma.database") ?? "luma", rowCount);
            case ScalarFunction.CurrentSchema:
                return ColumnVector.Repeat(SqlType.Text, "public", rowCount);
            case ScalarFunction.CurrentSetting:
                var result = ColumnVector.Allocate(SqlType.Text, rowCount);
                for (var i = 0; i < rowCount; i++)
                {
                    if (args[0].GetValue(i) is not string name)
                    {
                        result.SetNull(i);
                        continue;
                    }

                    ((string?[])result.Values)[i] = _context.Settings?.Get(name)
                        ?? throw new SqlException(SqlState.UndefinedObject, $"unrecognized configuration parameter \"{name}\"");
                }

                return result;
            case ScalarFunction.SetConfig:
                var applied = ColumnVector.Allocate(SqlType.Text, rowCount);
                for (var i = 0; i < rowCount; i++)
                {
                    if (args[0].GetValue(i) is not string setting)
                    {
                        throw new SqlException(SqlState.NullValueNotAllowed, "SET requires parameter name");
                    }

                    var apply = _context.SetConfig ?? throw new SqlException(SqlState.FeatureNotSupported, "set_config needs a session");
                    ((string?[])applied.Values)[i] = apply(setting, args[1].GetValue(i) as string ?? string.Empty);
                }

                return applied;
            case ScalarFunction.PgSleep:
                var sleep = ColumnVector.Allocate(SqlType.Text, rowCount);
                for (var i = 0; i < rowCount; i++)
                {
                    sleep.SetNull(i);
                    if (args[0].GetValue(i) is double seconds && seconds > 0)
                    {
                        // Blocks the statement's thread like PostgreSQL's backend; a cancel request ends the wait.
                        if (_context.Cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue / 1000.0))))
                        {
                            throw new OperationCanceledException(_context.Cancellation);
                        }
                    }
                }

                return sleep;
            case ScalarFunction.PgGetUserById:
                // Every object belongs to the bootstrap superuser, the session user of catalog queries.
                return ColumnVector.Repeat(SqlType.Text, _context.Settings?.Get("session_authorization") is { Length: > 0 } user ? user : "luma", rowCount);
            case ScalarFunction.RegexMatch:
                return RegexMatch(args, rowCount);
            default:
                throw new SqlException(SqlState.FeatureNotSupported, $"function {call.Function} is not implemented");
        }
    }

    private static ColumnVector RegexMatch(ColumnVector[] args, int rowCount)
    {
        var result = ColumnVector.Allocate(SqlType.Boolean, rowCount);
        var values = (bool[])result.Values;
        for (var i = 0; i < rowCount; i++)
        {
            if (args[0].GetValue(i) is not string text || args[1].GetValue(i) is not string pattern || args[2].GetValue(i) is not int flags)
            {
                result.SetNull(i);
                continue;
            }

            var regex = PgRegex.Get(pattern, (flags & 1) != 0 ? PgRegexFlags.IgnoreCase : PgRegexFlags.None);
            values[i] = regex.IsMatch(text) != ((flags & 2) != 0);
        }

        return result;
    }
}
