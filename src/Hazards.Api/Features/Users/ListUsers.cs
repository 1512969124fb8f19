using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Users;

public sealed record ListUsersQuery(string? OrgUnit, string? Role, string? Q, int? Limit, string? Cursor) : IQuery<UserPage>;

public sealed record UserPage(IReadOnlyList<UserView> Items, int Total, string? NextCursor);

/// <summary>People of the caller's subtree (or of an org unit in it), by role and by a part of their login or name.</summary>
public sealed class ListUsersHandler(DbSession db, ICurrentUser user) : IQueryHandler<ListUsersQuery, UserPage>
{
    private const string Filter = """
        FROM users u JOIN org_units o ON o.code = u.org_code
        WHERE o.path >= @PathFrom AND o.path < @PathTo
          AND (@Role IS NULL OR u.role = @Role)
          AND (@Q IS NULL OR u.login LIKE @Q ESCAPE '\' OR u.name LIKE @Q ESCAPE '\')
        """;

    private const string Columns = """
        u.id AS Id, u.login AS Login, u.name AS Name, u.phone AS Phone, u.email AS Email, u.role AS Role, u.org_code AS OrgUnitCode,
        u.external_subject AS ExternalSubject, u.active AS Active, u.deactivated_at AS DeactivatedAt, u.version AS Version, o.path AS OrgPath
        """;

    internal static readonly Sql Page = new(
        $"SELECT {Columns} {Filter} AND (@After IS NULL OR u.login > @After) ORDER BY u.login LIMIT @Take",
        $"SELECT TOP (@Take) {Columns} {Filter} AND (@After IS NULL OR u.login > @After) ORDER BY u.login");

    internal static readonly Sql Total = Sql.Portable($"SELECT COUNT(*) {Filter}");

    /// <summary>The units of everyone on the page, in one statement: the page is the logins after the cursor up to its last.</summary>
    internal static readonly Sql UnitsOfPage = Sql.Portable($"""
        SELECT uu.user_id AS UserId, uu.unit_id AS UnitId FROM user_units uu
        WHERE uu.user_id IN (SELECT u.id {Filter} AND (@After IS NULL OR u.login > @After) AND u.login <= @Last)
        ORDER BY uu.unit_id
        """);

    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    public async ValueTask<UserPage> Handle(ListUsersQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var path = actor.OrgPath;
        if (query.OrgUnit is not null)
        {
            path = query.OrgUnit.Length <= 15 && await db.Single<string>(OrgPath, new { Code = query.OrgUnit }, ct) is { } p && actor.CoversPath(p)
                ? p
                : throw ProblemException.NotFound("org_unit");
        }

        if (!RoleGrant.MayAdminister(actor))
        {
            throw ProblemException.Forbidden("user.admin_forbidden", "Only township officers and above administer people.");
        }

        string? role = null;
        if (query.Role is not null)
        {
            role = Wire.TryParse<Role>(query.Role, out var r) && r != Domain.Role.Public
                ? Wire.Name(r)
                : throw ProblemException.BadRequest("user.invalid_role", "role is one of gridWorker, unitOfficer, townshipOfficer, districtRegulator, cityAdmin.");
        }

        if (query.Q is { Length: > Paging.MaxSearchLength })
        {
            throw ProblemException.BadRequest("request.invalid_query", "q is at most 100 characters.");
        }

        var limit = Paging.Limit(query.Limit);
        var after = Cursor.Decode(query.Cursor, "users", 1)?[0];
        var args = new
        {
            PathFrom = path,
            PathTo = OrgPaths.UpperBound(path),
            Role = role,
            Q = query.Q is { Length: > 0 } q ? LikePattern.Containing(q) : null,
            After = after,
            Take = limit + 1,
        };
        var rows = await db.Query<UserReader.Row>(Page, args, ct);
        var total = await db.Scalar<int>(Total, args, ct);
        var page = rows.Take(limit).ToList();
        var units = (page.Count == 0 ? []
            : await db.Query<UnitOfUser>(UnitsOfPage, new { args.PathFrom, args.PathTo, args.Role, args.Q, args.After, Last = page[^1].Login }, ct))
            .ToLookup(u => u.UserId, u => u.UnitId);
        var items = page.Select(r => r.View([.. units[r.Id]])).ToList();
        return new UserPage(items, total, rows.Count > limit ? Cursor.Encode("users", items[^1].Login) : null);
    }

    private sealed class UnitOfUser
    {
        public Guid UserId { get; set; }

        public Guid UnitId { get; set; }
    }
}
