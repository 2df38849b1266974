using LumaDB.Query.Sql.Execution;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>SET, SHOW, RESET.</summary>
public sealed partial class SqlSession
{
    private StatementResult ExecuteSetting(Statement statement)
    {
        switch (statement)
        {
            case SetStatement set:
                {
                    var name = set.Name;
                    if (set.IsDefault)
                    {
                        Settings.Reset(name);
                        return Tag("SET");
                    }

                    var value = string.Join(", ", set.Values.Select(SettingText));
                    return TrySetIsolationSetting(name, value) ?? SetValue(name, value);
                }

            case ResetStatement reset:
                if (reset.Name is null)
                {
                    foreach (var (name, _) in Settings.All().ToList())
                    {
                        try
                        {
                            Settings.Reset(name);
                        }
                        catch (ArgumentException)
                        {
                            // Read-only settings keep their value.
                        }
                    }
                }
                else
                {
                    Settings.Reset(reset.Name);
                }

                return Tag("RESET");
            case ShowStatement show when string.Equals(show.Name, "all", StringComparison.OrdinalIgnoreCase):
                {
                    var all = Settings.All().ToList();
                    var names = ColumnVector.FromValues(SqlType.Text, all.Select(kv => (object?)kv.Key).ToArray());
                    var values = ColumnVector.FromValues(SqlType.Text, all.Select(kv => (object?)kv.Value).ToArray());
                    var descriptions = ColumnVector.Repeat(SqlType.Text, string.Empty, all.Count);
                    return new StatementResult(StatementPlanner.ShowColumns(show), [new ResultBatch([names, values, descriptions], all.Count)], "SHOW");
                }

            case ShowStatement show:
                {
                    var value = Settings.Get(show.Name) ?? throw new SqlException(SqlState.UndefinedObject, $"unrecognized configuration parameter \"{show.Name}\"");
                    var column = ColumnVector.FromValues(SqlType.Text, [value]);
                    return new StatementResult(StatementPlanner.ShowColumns(show), [new ResultBatch([column], 1)], "SHOW");
                }

            case SetTransactionStatement setTransaction:
                return SetTransaction(setTransaction);
            case DiscardStatement discard:
                if (discard.Target is DiscardTarget.All or DiscardTarget.Plans)
                {
                    _planCache.Clear();
                }

                if (discard.Target is DiscardTarget.All or DiscardTarget.Sequences)
                {
                    // Pooled connections (Npgsql sends DISCARD ALL) start without the last user's currval.
                    _sequences.Clear();
                }

                return Tag(discard.Target switch
                {
                    DiscardTarget.Plans => "DISCARD PLANS",
                    DiscardTarget.Sequences => "DISCARD SEQUENCES",
                    DiscardTarget.Temporary => "DISCARD TEMP",
                    _ => "DISCARD ALL",
                });
            default:
                throw new SqlException(SqlState.FeatureNotSupported, "statement not supported");
        }
    }

    private StatementResult SetValue(string name, string value)
    {
        try
        {
            Settings.Set(name, value);
        }
        catch (ArgumentException)
        {
            throw new SqlException(SqlState.CantChangeRuntimeParam, $"parameter \"{name}\" cannot be changed");
        }

        return Tag("SET");
    }

    /// <summary>set_config(name, value, is_local): the same checks and effect as SET, answering the value now in force.</summary>
    private string ApplySetConfig(string name, string value)
    {
        if (TrySetIsolationSetting(name, value) is null)
        {
            SetValue(name, value);
        }

        return Settings.Get(name) ?? value;
    }

    private static StatementResult Tag(string tag) => new([], null, () => tag);

    private static string SettingText(Expression value) => value switch
    {
        StringLiteral s => s.Value,
        IntegerLiteral i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NumericLiteral n => n.Text,
        BooleanLiteral b => b.Value ? "on" : "off",
        ColumnReference c => c.Name,
        _ => SqlFormatter.Format(value),
    };
}
