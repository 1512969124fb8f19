using Dapper;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Infrastructure.Auth;

/// <summary>Loads the actor behind a token on every request, so a changed role or unit takes effect at once.</summary>
public sealed class UserDirectory(ConnectionFactory factory)
{
    internal static readonly Sql FindByLogin = Sql.Portable("""
        SELECT u.id AS UserId, u.login AS Login, u.name AS Name, u.email AS Email, u.role AS Role, u.org_code AS OrgCode, o.path AS OrgPath, u.sessions_since AS SessionsSince
        FROM users u
        JOIN org_units o ON o.code = u.org_code
        WHERE u.login = @Login AND u.active = 1
        """);

    /// <summary>With an OpenID Connect authority, a token's subject names the person by their external subject.</summary>
    internal static readonly Sql FindBySubject = Sql.Portable("""
        SELECT u.id AS UserId, u.login AS Login, u.name AS Name, u.email AS Email, u.role AS Role, u.org_code AS OrgCode, o.path AS OrgPath, u.sessions_since AS SessionsSince
        FROM users u
        JOIN org_units o ON o.code = u.org_code
        WHERE u.external_subject = @Subject AND u.active = 1
        """);

    /// <summary>A mail link names its recipient by id: the person as they are now, or nobody once deactivated.</summary>
    internal static readonly Sql FindById = Sql.Portable("""
        SELECT u.id AS UserId, u.login AS Login, u.name AS Name, u.email AS Email, u.role AS Role, u.org_code AS OrgCode, o.path AS OrgPath, u.sessions_since AS SessionsSince
        FROM users u
        JOIN org_units o ON o.code = u.org_code
        WHERE u.id = @Id AND u.active = 1
        """);

    internal static readonly Sql UnitsOf = Sql.Portable("""
        SELECT unit_id FROM user_units WHERE user_id = @UserId ORDER BY unit_id
        """);

    internal static readonly Sql CountPeople = Sql.Portable("""
        SELECT COUNT(*) FROM users
        """);

    /// <summary>Whether anyone was ever added: an empty database has not had its city set up.</summary>
    public async Task<bool> AnyPerson(CancellationToken ct)
    {
        await using var connection = await factory.Open(ct);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(
            connection, new Dapper.CommandDefinition(CountPeople.For(factory.Dialect), cancellationToken: ct)) > 0;
    }

    /// <summary>The active person with this login; a deactivated one is not found, so their tokens stop at once.</summary>
    public Task<Actor?> Find(string login, CancellationToken ct) => Load(FindByLogin, new { Login = login }, ct);

    public Task<Actor?> FindActive(Guid id, CancellationToken ct) => Load(FindById, new { Id = id }, ct);

    public Task<Actor?> FindBySubjectOf(string subject, CancellationToken ct) => Load(FindBySubject, new { Subject = subject }, ct);

    private async Task<Actor?> Load(Sql sql, object args, CancellationToken ct)
    {
        await using var connection = await factory.Open(ct);
        var row = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<UserRow>(
            connection, new Dapper.CommandDefinition(sql.For(factory.Dialect), args, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var units = await Dapper.SqlMapper.QueryAsync<Guid>(
            connection, new Dapper.CommandDefinition(UnitsOf.For(factory.Dialect), new { row.UserId }, cancellationToken: ct));
        return new Actor(row.UserId, row.Login, row.Name, row.Email, Wire.Parse<Role>(row.Role), row.OrgCode, row.OrgPath, units.AsList())
        {
            SessionsSince = row.SessionsSince,
        };
    }

    private sealed class UserRow
    {
        public Guid UserId { get; set; }

        public string Login { get; set; } = "";

        public string Name { get; set; } = "";

        public string Email { get; set; } = "";

        public string Role { get; set; } = "";

        public string OrgCode { get; set; } = "";

        public string OrgPath { get; set; } = "";

        public DateTimeOffset? SessionsSince { get; set; }
    }
}
