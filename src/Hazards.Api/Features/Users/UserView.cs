using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;

namespace Hazards.Api.Features.Users;

public sealed record UserView(
    Guid Id, string Login, string Name, string? Phone, string Email, Role Role, string OrgUnitCode, string? ExternalSubject,
    IReadOnlyList<Guid> UnitIds, bool Active, DateTimeOffset? DeactivatedAt, int Version);

/// <summary>Reads people for the user routes; a person outside the caller's subtree is not found.</summary>
public sealed class UserReader(DbSession db)
{
    internal static readonly Sql ById = Sql.Portable("""
        SELECT u.id AS Id, u.login AS Login, u.name AS Name, u.phone AS Phone, u.email AS Email, u.role AS Role, u.org_code AS OrgUnitCode,
               u.external_subject AS ExternalSubject, u.active AS Active, u.deactivated_at AS DeactivatedAt, u.version AS Version, o.path AS OrgPath
        FROM users u JOIN org_units o ON o.code = u.org_code
        WHERE u.id = @Id
        """);

    internal static readonly Sql UnitsOf = Sql.Portable("""
        SELECT unit_id FROM user_units WHERE user_id = @Id ORDER BY unit_id
        """);

    public async Task<(UserView View, string OrgPath)?> Find(Guid id, Actor actor, CancellationToken ct)
    {
        var row = await db.Single<Row>(ById, new { Id = id }, ct);
        if (row is null || !actor.CoversPath(row.OrgPath) || !RoleGrant.MayAdminister(actor))
        {
            return null;
        }

        var units = await db.Query<Guid>(UnitsOf, new { Id = id }, ct);
        return (row.View(units), row.OrgPath);
    }

    public async Task<UserView> Require(Guid id, Actor actor, CancellationToken ct) =>
        (await Find(id, actor, ct))?.View ?? throw ProblemException.NotFound("user");

    public sealed class Row
    {
        public Guid Id { get; set; }

        public string Login { get; set; } = "";

        public string Name { get; set; } = "";

        public string? Phone { get; set; }

        public string Email { get; set; } = "";

        public string Role { get; set; } = "";

        public string OrgUnitCode { get; set; } = "";

        public string? ExternalSubject { get; set; }

        public bool Active { get; set; }

        public DateTimeOffset? DeactivatedAt { get; set; }

        public int Version { get; set; }

        public string OrgPath { get; set; } = "";

        public UserView View(IReadOnlyList<Guid> units) => new(
            Id, Login, Name, Phone, Email, Wire.Parse<Role>(Role), OrgUnitCode, ExternalSubject, units, Active, DeactivatedAt, Version);
    }
}
