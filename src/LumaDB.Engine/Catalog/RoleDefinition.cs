namespace LumaDB.Engine.Catalog;

/// <summary>A role (user). Passwords are kept only as verifiers, never in plain text.</summary>
/// <param name="Name">Role name.</param>
/// <param name="CanLogin">LOGIN.</param>
/// <param name="IsSuperuser">SUPERUSER.</param>
/// <param name="ScramVerifier">The SCRAM-SHA-256 verifier in PostgreSQL's text form, or null.</param>
/// <param name="Md5Hash">The <c>md5</c> + hex(md5(password + name)) form, or null.</param>
public sealed record RoleDefinition(string Name, bool CanLogin, bool IsSuperuser, string? ScramVerifier, string? Md5Hash);
