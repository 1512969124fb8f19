using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public sealed record GetOrgUnitQuery(string Code) : IQuery<OrgUnitView>;

public sealed record OrgUnitChild(string Code, string Name, OrgLevel Level);

public sealed record OrgUnitView(string Code, string Name, OrgLevel Level, string? ParentCode, IReadOnlyList<OrgUnitChild> Children);

public sealed class GetOrgUnitHandler(DbSession db, ICurrentUser user) : IQueryHandler<GetOrgUnitQuery, OrgUnitView>
{
    internal static readonly Sql Unit = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, parent_code AS ParentCode, path AS Path
        FROM org_units WHERE code = @Code
        """);

    internal static readonly Sql Children = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level
        FROM org_units WHERE parent_code = @Code ORDER BY code
        """);

    public async ValueTask<OrgUnitView> Handle(GetOrgUnitQuery query, CancellationToken ct)
    {
        var row = await db.Single<OrgUnitRow>(Unit, new { query.Code }, ct);
        if (row is null || !user.Actor.CoversPath(row.Path))
        {
            throw ProblemException.NotFound("org_unit");
        }

        var children = await db.Query<OrgUnitRow>(Children, new { query.Code }, ct);
        return new OrgUnitView(row.Code, row.Name, Wire.Parse<OrgLevel>(row.Level), row.ParentCode,
            children.Select(c => new OrgUnitChild(c.Code, c.Name, Wire.Parse<OrgLevel>(c.Level))).ToList());
    }

    private sealed class OrgUnitRow
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string Level { get; set; } = "";

        public string? ParentCode { get; set; }

        public string Path { get; set; } = "";
    }
}
