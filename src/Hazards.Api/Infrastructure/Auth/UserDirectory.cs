using Dapper;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;

namespace Hazards.Api.Infrastructure.Auth;

/// <summary>Loads the actor behind a token on every request, so a changed role or unit takes effect at once.</summary>
public sealed class UserDirectory(ConnectionFactory factory)
{
    internal static readonly Sql FindByLogin = Sql.Portable("""
        SELECT u.id AS UserId, u.login AS Login, u.name AS Name, u.email AS Email, u.role AS Role, u.org_code AS OrgCode, o.path AS OrgPath
        FROM users u
        JOIN org_units o ON o.code = u.org_code
        WHERE u.login = @Login
        """);

    internal static readonly Sql UnitsOf = Sql.Portable("""
        SELECT unit_id FROM user_units WHERE user_id = @UserId ORDER BY unit_id
        """);

    public async Task<Actor?> Find(string login, CancellationToken ct)
    {
        await using var connection = await factory.Open(ct);
        var row = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<UserRow>(
            connection, new Dapper.CommandDefinition(FindByLogin.For(factory.Dialect), new { Login = login }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        var units = await Dapper.SqlMapper.QueryAsync<Guid>(
            connection, new Dapper.CommandDefinition(UnitsOf.For(factory.Dialect), new { row.UserId }, cancellationToken: ct));
        return new Actor(row.UserId, row.Login, row.Name, row.Email, Wire.Parse<Role>(row.Role), row.OrgCode, row.OrgPath, units.AsList());
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
    }
}
