using System.Globalization;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Query.Sql.Sessions;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Protocols.Postgres;

/// <summary>statement_timeout, idle_session_timeout and idle_in_transaction_session_timeout, read from the session's settings.</summary>
public sealed partial class PgSession
{
    private (int Version, TimeSpan Value) _statementTimeout = (-1, default);
    private (int Version, TimeSpan Value) _idleTimeout = (-1, default);
    private (int Version, TimeSpan Value) _idleInTransactionTimeout = (-1, default);

    /// <summary>The server's defaults, applied as start-up values so RESET returns to them, as PostgreSQL's config file does.</summary>
    private void ApplyTimeoutDefaults(SessionSettings settings)
    {
        SetDefault(settings, "statement_timeout", _options.StatementTimeout);
        SetDefault(settings, "idle_session_timeout", _options.IdleSessionTimeout);
        SetDefault(settings, "idle_in_transaction_session_timeout", _options.IdleInTransactionSessionTimeout);

        static void SetDefault(SessionSettings settings, string name, TimeSpan value)
        {
            if (value > TimeSpan.Zero)
            {
                settings.SetStartup(name, ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// Arms statement_timeout on the statement about to run; the cancel scope is disarmed by the next message's
    /// Touch, or here with <paramref name="disarmWhenOff"/> when the timeout is now off (a later statement of one
    /// query string after <c>SET statement_timeout = 0</c>).
    /// </summary>
    private void ArmStatementTimeout(PgSessionRegistry.Entry entry, bool disarmWhenOff = false)
    {
        var timeout = Read(ref _statementTimeout, "statement_timeout");
        if (timeout > TimeSpan.Zero)
        {
            entry.ArmStatementTimeout(timeout);
        }
        else if (disarmWhenOff)
        {
            entry.DisarmStatementTimeout();
        }
    }

    /// <summary>How long the session may wait for the client's next message: the idle timeout of its transaction state, or none.</summary>
    private TimeSpan IdleTimeout() => _sql!.TransactionState == SessionTransactionState.Idle
        ? Read(ref _idleTimeout, "idle_session_timeout")
        : Read(ref _idleInTransactionTimeout, "idle_in_transaction_session_timeout");

    /// <summary>Reads the next message, ending the session with PostgreSQL's FATAL when the idle timeout passes first.</summary>
    private async ValueTask<byte?> ReadCommandAsync(CancellationToken closed)
    {
        var idle = _pendingReader is null ? IdleTimeout() : TimeSpan.Zero;
        if (idle <= TimeSpan.Zero)
        {
            return await ReadMessageAsync(closed);
        }

        var inTransaction = _sql!.TransactionState != SessionTransactionState.Idle;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closed);
        deadline.CancelAfter(idle);
        try
        {
            return await ReadMessageAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!closed.IsCancellationRequested)
        {
            var (state, message) = inTransaction
                ? (PgSqlState.IdleInTransactionTimeout, "terminating connection due to idle-in-transaction timeout")
                : (PgSqlState.IdleSessionTimeout, "terminating connection due to idle-session timeout");
            _output.ErrorOrNotice((byte)'E', new PgError("FATAL", state, message));
            await FlushAsync(closed);
            return null;
        }
    }

    private TimeSpan Read(ref (int Version, TimeSpan Value) cache, string name)
    {
        var settings = _sql!.Settings;
        if (cache.Version != settings.Version)
        {
            TimeSpan value;
            try
            {
                value = SessionSettings.ParseTimeout(name, settings.Get(name));
            }
            catch (SqlException)
            {
                // Only a start-up parameter can hold a bad value (SET checks it): treat it as off.
                value = TimeSpan.Zero;
            }

            cache = (settings.Version, value);
        }

        return cache.Value;
    }
}
