using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public sealed record GetOrgUnitQuery(string Code) : IQuery<OrgUnitView>;

public sealed record OrgUnitChild(string Code, string Name, OrgLevel Level);

/// <summary>A retired org unit still answers, with <c>retired</c> and, after a merge, where it went.</summary>
public sealed record OrgUnitView(
    string Code, string Name, OrgLevel Level, string? ParentCode, IReadOnlyList<OrgUnitChild> Children, int Version, bool Retired, string? MergedInto);

/// <summary>Reads an org unit the caller may see: every route that names one by its code finds it here, else 404.</summary>
public sealed class OrgUnitReader(DbSession db)
{
    internal static readonly Sql Unit = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level, parent_code AS ParentCode, path AS Path, version AS Version,
               retired_at AS RetiredAt, merged_into AS MergedInto
        FROM org_units WHERE code = @Code
        """);

    public async Task<OrgUnitRow> Find(string code, Actor actor, CancellationToken ct)
    {
        var row = code.Length <= 15 ? await db.Single<OrgUnitRow>(Unit, new { Code = code }, ct) : null;
        return row is not null && actor.CoversPath(row.Path) ? row : throw ProblemException.NotFound("org_unit");
    }
}

public sealed class OrgUnitRow
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Level { get; set; } = "";

    public string? ParentCode { get; set; }

    public string Path { get; set; } = "";

    public int Version { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }

    public string? MergedInto { get; set; }
}

public sealed class GetOrgUnitHandler(DbSession db, ICurrentUser user, OrgUnitReader reader) : IQueryHandler<GetOrgUnitQuery, OrgUnitView>
{
    internal static readonly Sql Children = Sql.Portable("""
        SELECT code AS Code, name AS Name, level AS Level
        FROM org_units WHERE parent_code = @Code AND retired_at IS NULL ORDER BY code
        """);

    public async ValueTask<OrgUnitView> Handle(GetOrgUnitQuery query, CancellationToken ct)
    {
        var row = await reader.Find(query.Code, user.Actor, ct);
        var children = await db.Query<OrgUnitRow>(Children, new { query.Code }, ct);
        return new OrgUnitView(row.Code, row.Name, Wire.Parse<OrgLevel>(row.Level), row.ParentCode,
            children.Select(c => new OrgUnitChild(c.Code, c.Name, Wire.Parse<OrgLevel>(c.Level))).ToList(),
            row.Version, row.RetiredAt is not null, row.MergedInto);
    }
}
