using System.Security.Cryptography;
using System.Text;
using LumaDB.Protocols.Postgres.Auth;
using LumaDB.Protocols.Postgres.Messages;
using LumaDB.Query.Sql.Sessions;
using Microsoft.Extensions.Logging;

namespace LumaDB.Protocols.Postgres;

/// <summary>Startup packets and authentication.</summary>
public sealed partial class PgSession
{
    /// <summary>Reads startup packets and authenticates; returns the registered session, or null when the connection ends.</summary>
    private async Task<PgSessionRegistry.Entry?> StartAsync(CancellationToken cancellationToken)
    {
        var packet = await ReadStartupPacketAsync(cancellationToken);
        if (packet is null)
        {
            return null;
        }

        if (OverConnectionLimit)
        {
            LogTooManyClients(_clientText);
            await SendFatalAsync(PgSqlState.TooManyConnections, PgSqlState.TooManyConnectionsMessage, cancellationToken);
            return null;
        }

        if (packet.MajorVersion != 3)
        {
            await SendFatalAsync(PgSqlState.FeatureNotSupported, $"unsupported frontend protocol {packet.MajorVersion}.{packet.MinorVersion}: server supports 3.0 to 3.0", cancellationToken);
            return null;
        }

        if (!packet.Parameters.TryGetValue("user", out var user) || user.Length == 0)
        {
            await SendFatalAsync(PgSqlState.InvalidAuthorization, "no PostgreSQL user name specified in startup packet", cancellationToken);
            return null;
        }

        User = user;
        Database = packet.Parameters.TryGetValue("database", out var database) && database.Length > 0 ? database : user;
        if (_options.TlsMode == PgTlsMode.Require && !_tls)
        {
            LogLoginRefused(User, _clientText, "TLS is required");
            await SendFatalAsync(PgSqlState.InvalidAuthorization, $"no authentication rule for host \"{_clientText}\", user \"{User}\", database \"{Database}\", no encryption: this server requires TLS", cancellationToken);
            return null;
        }

        if (!await AuthenticateAsync(cancellationToken))
        {
            return null;
        }

        _sql = _options.SessionFactory(new PgSessionStart(User, Database, packet.Parameters));
        ApplyStartupSettings(packet, _sql.Settings);
        var entry = _registry.Add();
        _entry = entry;
        _sql.Settings.SetStartup(SessionSettings.BackendPidSetting, entry.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _output.AuthenticationOk();
        foreach (var (name, value) in _sql.Settings.ReportedValues())
        {
            _output.ParameterStatus(name, value);
        }

        // SET of a reported setting reaches the client as ParameterStatus before the statement completes.
        _sql.Settings.ReportedChanged += (name, value) => _output.ParameterStatus(name, value);
        _output.BackendKeyData(entry.ProcessId, entry.SecretKey);
        _output.ReadyForQuery((byte)'I');
        await FlushAsync(cancellationToken);
        LogSessionStarted(User, Database, _clientText);
        return entry;
    }

    private void ApplyStartupSettings(StartupPacket packet, SessionSettings settings)
    {
        settings.SetStartup("server_version", _options.ServerVersion);
        settings.SetStartup("server_version_num", VersionNumber(_options.ServerVersion));
        settings.SetStartup("session_authorization", User);
        settings.SetStartup("is_superuser", "on");
        settings.SetStartup("luma.database", Database);
        settings.SetStartup("luma.bootstrap_user", _options.BootstrapUser);
        ApplyTimeoutDefaults(settings);
        foreach (var (name, value) in packet.Parameters)
        {
            // Every start-up parameter but these is a setting, as PostgreSQL treats them.
            if (name is not ("user" or "database" or "options" or "replication") && !name.StartsWith("_pq_.", StringComparison.Ordinal))
            {
                settings.SetStartup(name, value);
            }
        }
    }

    /// <summary>server_version_num for a server_version such as <c>15.6</c>: major times 10000 plus minor (150006).</summary>
    internal static string VersionNumber(string version)
    {
        var parts = version.Split('.', 3);
        var major = int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 0;
        var minor = parts.Length > 1 && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return ((major * 10000) + minor).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<StartupPacket?> ReadStartupPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Re-read the transport each time: after SSLRequest it is the TLS stream.
            var input = _transport.Input;
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var status = StartupPacketParser.TryParse(buffer, out var packet, out var consumed, out var error);
            if (status == PgFrameStatus.Incomplete)
            {
                if (read.IsCompleted)
                {
                    return null;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (status == PgFrameStatus.Error)
            {
                LogProtocolViolation(error!);
                await SendFatalAsync(PgSqlState.ProtocolViolation, error!, cancellationToken);
                return null;
            }

            var trailing = buffer.Length > consumed;
            input.AdvanceTo(buffer.GetPosition(consumed));
            switch (packet!.Kind)
            {
                case StartupPacketKind.SslRequest when _options.TlsMode != PgTlsMode.Off && _options.Certificate is not null && !_tls:
                    if (trailing)
                    {
                        // Bytes after SSLRequest would bypass encryption (CVE-2021-23214): refuse them.
                        await ProtocolErrorAsync("received unencrypted data after SSL request", cancellationToken);
                        return null;
                    }

                    await _transport.Output.WriteAsync(new byte[] { (byte)'S' }, cancellationToken);
                    await StartTlsAsync(cancellationToken);
                    continue;
                case StartupPacketKind.SslRequest:
                case StartupPacketKind.GssEncRequest:
                    // 'N': carry on unencrypted; the client then sends its StartupMessage.
                    await _transport.Output.WriteAsync(new byte[] { (byte)'N' }, cancellationToken);
                    continue;
                case StartupPacketKind.CancelRequest:
                    _registry.Cancel(packet.CancelProcessId, packet.CancelSecretKey);
                    return null;
                default:
                    return packet;
            }
        }
    }

    private async Task<bool> AuthenticateAsync(CancellationToken cancellationToken)
    {
        var method = _authenticator.Decide(User, Database, _client, _tls, out var refusal);
        switch (method)
        {
            case PgLoginMethod.Reject:
                LogLoginRefused(User, _clientText, refusal!);
                await SendFatalAsync(PgSqlState.InvalidAuthorization, refusal!, cancellationToken);
                return false;
            case PgLoginMethod.Trust:
                if (!_authenticator.UserExists(User))
                {
                    await SendFatalAsync(PgSqlState.InvalidAuthorization, $"role \"{User}\" does not exist", cancellationToken);
                    return false;
                }

                return true;
            case PgLoginMethod.Password:
                _output.AuthenticationCleartextPassword();
                await FlushAsync(cancellationToken);
                return await ReadPasswordAsync(cancellationToken) is { } password && _authenticator.VerifyCleartext(User, password)
                    || await FailLoginAsync(cancellationToken);
            case PgLoginMethod.Md5:
                var salt = RandomNumberGenerator.GetBytes(4);
                _output.AuthenticationMd5Password(salt);
                await FlushAsync(cancellationToken);
                return await ReadPasswordAsync(cancellationToken) is { } response && _authenticator.VerifyMd5(User, salt, response)
                    || await FailLoginAsync(cancellationToken);
            default:
                return await ScramAsync(cancellationToken);
        }
    }

    private async Task<bool> ScramAsync(CancellationToken cancellationToken)
    {
        _output.AuthenticationSasl(ScramServerExchange.Mechanism);
        await FlushAsync(cancellationToken);
        if (await ReadMessageAsync(cancellationToken) != FrontendMessageType.Password)
        {
            return await ProtocolErrorAsync("expected SASL response", cancellationToken);
        }

        var initial = SaslInitialResponse.TryDecode(_body.AsSpan(0, _bodyLength));
        if (initial is null || initial.Mechanism != ScramServerExchange.Mechanism)
        {
            return await ProtocolErrorAsync("client selected an invalid SASL authentication mechanism", cancellationToken);
        }

        var exchange = new ScramServerExchange(_authenticator.ScramVerifierOf(User), User, _authenticator.MockSecret);
        if (!exchange.TryHandleClientFirst(Encoding.UTF8.GetString(initial.Data), out var serverFirst, out var error))
        {
            return await ProtocolErrorAsync(error!, cancellationToken);
        }

        _output.AuthenticationSaslContinue(serverFirst!);
        await FlushAsync(cancellationToken);
        if (await ReadMessageAsync(cancellationToken) != FrontendMessageType.Password)
        {
            return await ProtocolErrorAsync("expected SASL response", cancellationToken);
        }

        if (!exchange.TryHandleClientFinal(Encoding.UTF8.GetString(_body, 0, _bodyLength), out var serverFinal, out error))
        {
            return error is null ? await FailLoginAsync(cancellationToken) : await ProtocolErrorAsync(error, cancellationToken);
        }

        _output.AuthenticationSaslFinal(serverFinal!);
        return true;
    }

    private async Task<string?> ReadPasswordAsync(CancellationToken cancellationToken)
    {
        if (await ReadMessageAsync(cancellationToken) != FrontendMessageType.Password)
        {
            return null;
        }

        var reader = new PgBodyReader(_body.AsSpan(0, _bodyLength));
        return reader.TryReadCString(out var password) ? password : null;
    }

    private async Task<bool> FailLoginAsync(CancellationToken cancellationToken)
    {
        // The same words whether the user is unknown or the password wrong.
        LogLoginFailed(User, _clientText);
        await SendFatalAsync(PgSqlState.InvalidPassword, $"password authentication failed for user \"{User}\"", cancellationToken);
        return false;
    }

    private async Task<bool> ProtocolErrorAsync(string message, CancellationToken cancellationToken)
    {
        LogProtocolViolation(message);
        await SendFatalAsync(PgSqlState.ProtocolViolation, message, cancellationToken);
        return false;
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "PostgreSQL session started for user {User} database {Database} from {Client}")]
    private partial void LogSessionStarted(string user, string database, string? client);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "PostgreSQL login failed for user {User} from {Client}")]
    private partial void LogLoginFailed(string user, string? client);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "PostgreSQL connection from {Client} refused: max_connections reached")]
    private partial void LogTooManyClients(string? client);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "PostgreSQL login of user {User} from {Client} refused: {Reason}")]
    private partial void LogLoginRefused(string user, string? client, string reason);
}
