using System.Net;

namespace LumaDB.Protocols.Postgres.Auth;

/// <summary>Which connections a rule applies to, as pg_hba.conf's first column.</summary>
public enum PgConnectionKind
{
    /// <summary><c>host</c>: TCP with or without TLS.</summary>
    Host,

    /// <summary><c>hostssl</c>: TCP with TLS only.</summary>
    HostSsl,

    /// <summary><c>hostnossl</c>: TCP without TLS only.</summary>
    HostNoSsl,
}

/// <summary>
/// One authentication rule, written like a pg_hba.conf line: <c>host|hostssl|hostnossl database user address method</c>,
/// where database and user are <c>all</c> or comma-separated names, address is <c>all</c>, an IP address or a
/// CIDR block, and method is trust, reject, password, md5 or scram-sha-256.
/// </summary>
/// <param name="Kind">Connection kind.</param>
/// <param name="Databases">Database names; null for all.</param>
/// <param name="Users">User names; null for all.</param>
/// <param name="Network">Client addresses; null for all.</param>
/// <param name="Method">What a matching login goes through.</param>
public sealed record PgAuthRule(PgConnectionKind Kind, IReadOnlySet<string>? Databases, IReadOnlySet<string>? Users, IPNetwork? Network, PgLoginMethod Method)
{
    /// <summary>Whether the rule applies to a login.</summary>
    public bool Matches(string user, string database, IPAddress? client, bool tls)
    {
        if ((Kind == PgConnectionKind.HostSsl && !tls) || (Kind == PgConnectionKind.HostNoSsl && tls))
        {
            return false;
        }

        if (Databases is not null && !Databases.Contains(database))
        {
            return false;
        }

        if (Users is not null && !Users.Contains(user))
        {
            return false;
        }

        if (Network is { } network)
        {
            if (client is null)
            {
                return false;
            }

            var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
            return network.Contains(address);
        }

        return true;
    }

    /// <summary>Parses rules, one per line (or separated by <c>;</c>, for one-line settings); blank lines and <c>#</c> comments are skipped.</summary>
    /// <exception cref="FormatException">A line is not a valid rule; the message names the line.</exception>
    public static IReadOnlyList<PgAuthRule> ParseAll(string text)
    {
        var rules = new List<PgAuthRule>();
        var lines = text.Split(['\n', ';']);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            try
            {
                rules.Add(Parse(fields));
            }
            catch (FormatException e)
            {
                throw new FormatException($"authentication rule {i + 1}: {e.Message}", e);
            }
        }

        return rules;
    }

    private static PgAuthRule Parse(string[] fields)
    {
        if (fields.Length != 5)
        {
            throw new FormatException("expected 5 fields: type database user address method");
        }

        var kind = fields[0] switch
        {
            "host" => PgConnectionKind.Host,
            "hostssl" => PgConnectionKind.HostSsl,
            "hostnossl" => PgConnectionKind.HostNoSsl,
            _ => throw new FormatException($"connection type \"{fields[0]}\" is not host, hostssl or hostnossl"),
        };
        var method = fields[4] switch
        {
            "trust" => PgLoginMethod.Trust,
            "reject" => PgLoginMethod.Reject,
            "password" => PgLoginMethod.Password,
            "md5" => PgLoginMethod.Md5,
            "scram-sha-256" => PgLoginMethod.ScramSha256,
            _ => throw new FormatException($"method \"{fields[4]}\" is not trust, reject, password, md5 or scram-sha-256"),
        };
        IPNetwork? network = null;
        if (fields[3] != "all")
        {
            if (IPNetwork.TryParse(fields[3], out var parsed))
            {
                network = parsed;
            }
            else if (IPAddress.TryParse(fields[3], out var single))
            {
                network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }
            else
            {
                throw new FormatException($"address \"{fields[3]}\" is not all, an IP address or a CIDR block");
            }
        }

        return new PgAuthRule(kind, Names(fields[1]), Names(fields[2]), network, method);
    }

    private static HashSet<string>? Names(string field) =>
        field == "all" ? null : new HashSet<string>(field.Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
