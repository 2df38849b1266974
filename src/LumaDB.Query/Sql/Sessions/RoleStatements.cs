using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LumaDB.Engine.Catalog;
using LumaDB.Query.Sql.Syntax;
using LumaDB.Query.Sql.Types;

namespace LumaDB.Query.Sql.Sessions;

/// <summary>
/// CREATE ROLE, ALTER ROLE and DROP ROLE against the catalog. Passwords are stored only as PostgreSQL stores
/// them: a SCRAM-SHA-256 verifier, or an md5 hash when <c>password_encryption</c> is <c>md5</c>; a password given
/// already in one of those forms is kept as given.
/// </summary>
internal static class RoleStatements
{
    private const int ScramIterations = 4096;
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static StatementOutcome Create(StatementContext context, CreateRoleStatement create)
    {
        var tx = context.Transaction;
        if (tx.Catalog.FindRole(create.Name) is not null || IsBootstrapUser(context, create.Name))
        {
            throw new SqlException(SqlState.DuplicateObject, $"role \"{create.Name}\" already exists");
        }

        // CREATE USER implies LOGIN, CREATE ROLE and CREATE GROUP do not (as in PostgreSQL).
        var role = new RoleDefinition(create.Name, create.Keyword == RoleKeyword.User, false, null, null);
        tx.PutRole(Apply(context, role, create.Options));
        return new StatementOutcome([], null, create.Keyword switch { RoleKeyword.User => "CREATE USER", RoleKeyword.Group => "CREATE GROUP", _ => "CREATE ROLE" });
    }

    public static StatementOutcome Alter(StatementContext context, AlterRoleStatement alter)
    {
        var tx = context.Transaction;
        var role = tx.Catalog.FindRole(alter.Name)
            ?? throw new SqlException(IsBootstrapUser(context, alter.Name) ? SqlState.FeatureNotSupported : SqlState.UndefinedObject,
                IsBootstrapUser(context, alter.Name) ? $"role \"{alter.Name}\" is the bootstrap superuser, configured by [postgres] bootstrap_password" : $"role \"{alter.Name}\" does not exist");
        if (alter.RenameTo is not null)
        {
            if (tx.Catalog.FindRole(alter.RenameTo) is not null || IsBootstrapUser(context, alter.RenameTo))
            {
                throw new SqlException(SqlState.DuplicateObject, $"role \"{alter.RenameTo}\" already exists");
            }

            // An md5 hash includes the name, so it no longer matches (PostgreSQL clears it too, with a notice).
            tx.DropRole(role.Name);
            if (role.Md5Hash is not null)
            {
                context.Notices.Add("MD5 password cleared because of role rename");
            }

            tx.PutRole(role with { Name = alter.RenameTo, Md5Hash = null });
            return new StatementOutcome([], null, "ALTER ROLE");
        }

        if (alter.Set is not null)
        {
            throw new SqlException(SqlState.FeatureNotSupported, "ALTER ROLE ... SET is not supported");
        }

        tx.PutRole(Apply(context, role, alter.Options));
        return new StatementOutcome([], null, "ALTER ROLE");
    }

    public static bool Drop(StatementContext context, string name)
    {
        if (IsBootstrapUser(context, name))
        {
            throw new SqlException(SqlState.DependentObjectsStillExist, $"role \"{name}\" cannot be dropped because it is the bootstrap superuser");
        }

        if (context.Transaction.Catalog.FindRole(name) is null)
        {
            return false;
        }

        context.Transaction.DropRole(name);
        return true;
    }

    private static bool IsBootstrapUser(StatementContext context, string name) =>
        string.Equals(name, context.Settings.Get("luma.bootstrap_user") ?? "luma", StringComparison.Ordinal);

    private static RoleDefinition Apply(StatementContext context, RoleDefinition role, SyntaxList<SqlOption> options)
    {
        foreach (var option in options)
        {
            role = option.Name switch
            {
                "login" => role with { CanLogin = true },
                "nologin" => role with { CanLogin = false },
                "superuser" => role with { IsSuperuser = true },
                "nosuperuser" => role with { IsSuperuser = false },
                "password" => WithPassword(context, role, (option.Value as StringLiteral)?.Value),
                // Privilege flags beyond login and superuser, limits and memberships are accepted and not enforced.
                _ => role,
            };
        }

        return role;
    }

    private static RoleDefinition WithPassword(StatementContext context, RoleDefinition role, string? password)
    {
        if (password is null)
        {
            return role with { ScramVerifier = null, Md5Hash = null };
        }

        if (password.Length == 0)
        {
            // PostgreSQL refuses empty passwords at login; it stores none.
            context.Notices.Add("empty string is not a valid password, clearing password");
            return role with { ScramVerifier = null, Md5Hash = null };
        }

        if (password.StartsWith("SCRAM-SHA-256$", StringComparison.Ordinal))
        {
            return role with { ScramVerifier = password, Md5Hash = null };
        }

        if (password.Length == 35 && password.StartsWith("md5", StringComparison.Ordinal) && !password.AsSpan(3).ContainsAnyExcept(LowerHex))
        {
            return role with { ScramVerifier = null, Md5Hash = password };
        }

        return string.Equals(context.Settings.Get("password_encryption"), "md5", StringComparison.OrdinalIgnoreCase)
            ? role with { ScramVerifier = null, Md5Hash = Md5Hash(password, role.Name) }
            : role with { ScramVerifier = ScramVerifier(password), Md5Hash = null };
    }

    /// <summary>md5 + hex(md5(password + user)), PostgreSQL's stored md5 form.</summary>
    internal static string Md5Hash(string password, string user)
    {
#pragma warning disable CA5351 // md5 is what the md5 authentication method is defined over; it is only used when configured.
        return "md5" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password + user)));
#pragma warning restore CA5351
    }

    /// <summary>A SCRAM-SHA-256 verifier (RFC 5802/7677) in PostgreSQL's text form, with a fresh salt.</summary>
    internal static string ScramVerifier(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, ScramIterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return string.Create(CultureInfo.InvariantCulture,
            $"SCRAM-SHA-256${ScramIterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}");
    }
}
