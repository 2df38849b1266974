using LumaDB.Engine.Transactions;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// Isolation levels: BEGIN ISOLATION LEVEL, SET TRANSACTION, SET SESSION CHARACTERISTICS,
/// default_transaction_isolation and transaction_isolation, and the per-statement snapshot and lock timeout.
/// </summary>
public sealed partial class SqlSession
{
    private const string DefaultIsolationSetting = "default_transaction_isolation";
    private const string IsolationSetting = "transaction_isolation";

    // Statements run in the open block; SET TRANSACTION must come before the first.
    private int _blockStatements;

    // The last parsed setting texts and their values: every statement reads both settings, which rarely change.
    private (string? Text, TransactionIsolation Value) _parsedIsolation;
    private (string? Text, TimeSpan Value) _parsedLockTimeout;

    /// <summary>The isolation a transaction started now would get (default_transaction_isolation).</summary>
    private TransactionIsolation DefaultIsolation
    {
        get
        {
            var text = Settings.Get(DefaultIsolationSetting) ?? "read committed";
            if (!ReferenceEquals(text, _parsedIsolation.Text))
            {
                _parsedIsolation = (text, ParseIsolation(text));
            }

            return _parsedIsolation.Value;
        }
    }

    /// <summary>The session's lock_timeout.</summary>
    private TimeSpan LockTimeout
    {
        get
        {
            var text = Settings.Get("lock_timeout");
            if (text is null || !ReferenceEquals(text, _parsedLockTimeout.Text))
            {
                _parsedLockTimeout = (text, SessionSettings.ParseTimeout("lock_timeout", text));
            }

            return _parsedLockTimeout.Value;
        }
    }

    /// <summary>Starts the engine transaction of a BEGIN block at the requested or default level.</summary>
    private void BeginBlock(TransactionModes? modes)
    {
        var isolation = modes?.Isolation is { } requested ? FromSyntax(requested) : DefaultIsolation;
        _block = _database.BeginTransaction(isolation);
        _blockStatements = 0;
        Settings.Set(IsolationSetting, IsolationText(isolation));
    }

    /// <summary>After a block ends: transaction_isolation shows the default again.</summary>
    private void AfterBlock()
    {
        _blockStatements = 0;
        Settings.Set(IsolationSetting, IsolationText(DefaultIsolation));
    }

    /// <summary>
    /// Prepares a transaction for its next statement: a fresh snapshot under READ COMMITTED, the session's lock
    /// timeout. A transaction begun for this one statement already has a fresh snapshot.
    /// </summary>
    private void StartStatement(Transaction transaction, bool begunForStatement = false)
    {
        transaction.LockTimeout = LockTimeout;
        if (!begunForStatement)
        {
            transaction.BeginStatement();
        }

        if (ReferenceEquals(transaction, _block))
        {
            _blockStatements++;
        }
    }

    /// <summary>SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION.</summary>
    private StatementResult SetTransaction(SetTransactionStatement statement)
    {
        if (statement.Modes.Isolation is not { } requested)
        {
            return Tag("SET");
        }

        var isolation = FromSyntax(requested);
        if (statement.SessionCharacteristics)
        {
            Settings.Set(DefaultIsolationSetting, IsolationText(isolation));
            if (_block is null)
            {
                Settings.Set(IsolationSetting, IsolationText(isolation));
            }

            return Tag("SET");
        }

        return SetBlockIsolation(isolation);
    }

    /// <summary>SET TRANSACTION ISOLATION LEVEL (or SET transaction_isolation) inside a block, before its first statement.</summary>
    private StatementResult SetBlockIsolation(TransactionIsolation isolation)
    {
        if (_block is null)
        {
            var result = Tag("SET");
            result.Notices.Add("SET TRANSACTION can only be used in transaction blocks");
            return result;
        }

        if (_block.Isolation == isolation)
        {
            return Tag("SET");
        }

        if (_blockStatements > 0 || _block.HasChanges)
        {
            throw new SqlException(SqlState.ActiveTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query");
        }

        // Nothing ran in the block yet: start it over at the new level.
        _block.Rollback();
        _block = _database.BeginTransaction(isolation);
        Settings.Set(IsolationSetting, IsolationText(isolation));
        return Tag("SET");
    }

    /// <summary>SET of the isolation settings: values are checked, and transaction_isolation acts as SET TRANSACTION.</summary>
    private StatementResult? TrySetIsolationSetting(string name, string value)
    {
        if (string.Equals(name, IsolationSetting, StringComparison.OrdinalIgnoreCase))
        {
            return SetBlockIsolation(ParseIsolation(value));
        }

        if (string.Equals(name, DefaultIsolationSetting, StringComparison.OrdinalIgnoreCase))
        {
            var isolation = ParseIsolation(value);
            Settings.Set(DefaultIsolationSetting, IsolationText(isolation));
            if (_block is null)
            {
                Settings.Set(IsolationSetting, IsolationText(isolation));
            }

            return Tag("SET");
        }

        if (SessionSettings.IsTimeout(name))
        {
            // Checked here so a bad value is refused before it is stored.
            SessionSettings.ParseTimeout(name, value);
        }

        return null;
    }

    private static TransactionIsolation FromSyntax(IsolationLevel level) => level switch
    {
        IsolationLevel.RepeatableRead => TransactionIsolation.RepeatableRead,
        IsolationLevel.Serializable => TransactionIsolation.Serializable,

        // As in PostgreSQL, READ UNCOMMITTED behaves as READ COMMITTED.
        _ => TransactionIsolation.ReadCommitted,
    };

    private static TransactionIsolation ParseIsolation(string text) => text.Trim().ToLowerInvariant() switch
    {
        "read committed" or "read uncommitted" => TransactionIsolation.ReadCommitted,
        "repeatable read" => TransactionIsolation.RepeatableRead,
        "serializable" => TransactionIsolation.Serializable,
        _ => throw new SqlException(SqlState.InvalidParameterValue, $"invalid value for parameter \"{IsolationSetting}\": \"{text}\""),
    };

    private static string IsolationText(TransactionIsolation isolation) => isolation switch
    {
        TransactionIsolation.RepeatableRead => "repeatable read",
        TransactionIsolation.Serializable => "serializable",
        _ => "read committed",
    };
}
