using Hazards.Api.Features.Inspections;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Units;

public sealed record ListUnitsQuery(string? OrgUnit, string? Q, string? Sector, string? Risk, int? Limit, string? Cursor) : IQuery<UnitPage>;

public sealed record UnitSummary(Guid Id, string? Code, string Name, string GridCode, IReadOnlyList<Sector> Sectors, RiskColour RiskColour, bool Closed, int Version);

public sealed record UnitPage(IReadOnlyList<UnitSummary> Items, int Total, string? NextCursor);

/// <summary>Units under an org unit of the caller's scope (a unit officer: their own), by name or code, sector and risk colour.</summary>
public sealed class ListUnitsHandler(DbSession db, ICurrentUser user) : IQueryHandler<ListUnitsQuery, UnitPage>
{
    private const string Filter = """
        FROM units n
        WHERE n.org_path >= @PathFrom AND n.org_path < @PathTo
          AND (@Only IS NULL OR EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = @Only AND uu.unit_id = n.id))
          AND (@Q IS NULL OR n.name LIKE @Q ESCAPE '\' OR n.code LIKE @Q ESCAPE '\')
          AND (@Sector IS NULL OR (',' + n.sectors + ',') LIKE @Sector)
          AND (@Risk IS NULL OR n.risk_colour = @Risk)
        """;

    private const string Columns = """
        n.id AS Id, n.code AS Code, n.name AS Name, n.grid_code AS GridCode, n.sectors AS Sectors, n.risk_colour AS RiskColour,
        n.closed_at AS ClosedAt, n.version AS Version, n.org_path AS OrgPath
        """;

    private const string After = "AND (@AfterPath IS NULL OR n.org_path > @AfterPath OR (n.org_path = @AfterPath AND n.id > @AfterId))";

    internal static readonly Sql Page = new(
        $"SELECT {Columns} {Filter.Replace("(',' + n.sectors + ',')", "(',' || n.sectors || ',')")} {After} ORDER BY n.org_path, n.id LIMIT @Take",
        $"SELECT TOP (@Take) {Columns} {Filter} {After} ORDER BY n.org_path, n.id");

    internal static readonly Sql Total = new(
        $"SELECT COUNT(*) {Filter.Replace("(',' + n.sectors + ',')", "(',' || n.sectors || ',')")}",
        $"SELECT COUNT(*) {Filter}");

    public async ValueTask<UnitPage> Handle(ListUnitsQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var path = actor.OrgPath;
        if (query.OrgUnit is not null)
        {
            path = query.OrgUnit.Length <= 15 && await db.Single<string>(Users.ListUsersHandler.OrgPath, new { Code = query.OrgUnit }, ct) is { } p && actor.CoversPath(p)
                ? p
                : throw ProblemException.NotFound("org_unit");
        }

        string? sector = null;
        if (query.Sector is not null)
        {
            sector = Wire.TryParse<Sector>(query.Sector, out var s) ? $"%,{Wire.Name(s)},%" : throw ProblemException.BadRequest("unit.invalid_sector", "sector is one of the design's sectors.");
        }

        string? risk = null;
        if (query.Risk is not null)
        {
            risk = Wire.TryParse<RiskColour>(query.Risk, out var r) ? Wire.Name(r) : throw ProblemException.BadRequest("unit.invalid_risk_colour", "risk is red, orange, yellow or blue.");
        }

        if (query.Q is { Length: > Paging.MaxSearchLength })
        {
            throw ProblemException.BadRequest("request.invalid_query", "q is at most 100 characters.");
        }

        var limit = Paging.Limit(query.Limit);
        var after = Cursor.Decode(query.Cursor, "units", 2);
        var args = new
        {
            PathFrom = path,
            PathTo = OrgPaths.UpperBound(path),
            Only = actor.Role == Role.UnitOfficer ? actor.UserId : (Guid?)null,
            Q = query.Q is { Length: > 0 } q ? LikePattern.Containing(q) : null,
            Sector = sector,
            Risk = risk,
            AfterPath = after?[0],
            AfterId = after is null ? (Guid?)null : Cursor.Id(after[1]),
            Take = limit + 1,
        };
        var rows = await db.Query<Row>(Page, args, ct);
        var total = await db.Scalar<int>(Total, args, ct);
        var items = rows.Take(limit).ToList();
        return new UnitPage(
            items.Select(r => new UnitSummary(r.Id, r.Code, r.Name, r.GridCode, r.Sectors.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Wire.Parse<Sector>).ToList(),
                Wire.Parse<RiskColour>(r.RiskColour), r.ClosedAt is not null, r.Version)).ToList(),
            total,
            rows.Count > limit ? Cursor.Encode("units", items[^1].OrgPath, items[^1].Id.ToString("D")) : null);
    }

    private sealed class Row
    {
        public Guid Id { get; set; }

        public string? Code { get; set; }

        public string Name { get; set; } = "";

        public string GridCode { get; set; } = "";

        public string Sectors { get; set; } = "";

        public string RiskColour { get; set; } = "";

        public DateTimeOffset? ClosedAt { get; set; }

        public int Version { get; set; }

        public string OrgPath { get; set; } = "";
    }
}

public sealed record ListUnitPlansQuery(Guid Id) : IQuery<UnitPlans>;

public sealed record UnitPlans(IReadOnlyList<PlanView> Items);

/// <summary>A unit's inspection plans, current and ended, for whoever may see the unit.</summary>
public sealed class ListUnitPlansHandler(DbSession db, ICurrentUser user, UnitScope scope, PlanReader plans) : IQueryHandler<ListUnitPlansQuery, UnitPlans>
{
    internal static readonly Sql PlanIds = Sql.Portable("SELECT id FROM inspection_plans WHERE unit_id = @Id ORDER BY created_at, id");

    public async ValueTask<UnitPlans> Handle(ListUnitPlansQuery query, CancellationToken ct)
    {
        if (!await scope.IsVisible(query.Id, user.Actor, ct))
        {
            throw ProblemException.NotFound("unit");
        }

        var items = new List<PlanView>();
        foreach (var id in await db.Query<Guid>(PlanIds, new { query.Id }, ct))
        {
            items.Add((await plans.Load(id, user.Actor, ct)).Plan);
        }

        return new UnitPlans(items);
    }
}
