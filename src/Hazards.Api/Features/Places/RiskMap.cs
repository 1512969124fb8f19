using System.Text.Json;
using System.Text.Json.Serialization;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Mediator;

namespace Hazards.Api.Features.Places;

/// <summary>The 风险四色图 of an org unit in the caller's scope (default: the caller's own), a page of its grids at a time.</summary>
public sealed record RiskMapQuery(string? OrgUnit, int? Limit, string? Cursor) : IQuery<RiskMap>;

public sealed record MajorRiskMark(string Name, RiskColour Colour);

/// <summary>
/// A unit as a point. Units carry no position of their own, so each stands at the interior point of its grid's boundary
/// (<c>placedBy: gridInterior</c>); its colour is the worst of its own risk colour and its major risks'.
/// </summary>
public sealed record UnitMarkProperties(
    string Kind, Guid Id, string Name, string GridCode, RiskColour Colour, RiskColour UnitColour, IReadOnlyList<MajorRiskMark> MajorRisks, string PlacedBy);

/// <summary>A grid as its boundary, coloured by the worst colour of the units in it; no unit, no colour.</summary>
public sealed record GridAreaProperties(string Kind, string Code, string Name, RiskColour? Colour, int Units);

public sealed record RiskMapFeature(string Type, string Id, JsonElement Geometry, object Properties);

/// <summary>
/// An RFC 7946 FeatureCollection: the page's grids that have boundaries as polygons, then their units as points. Foreign
/// members: <see cref="UnplacedUnits"/>, the units of the page's grids that have no boundary (left out), the same grids'
/// count, and <see cref="NextCursor"/> for the next page of grids.
/// </summary>
public sealed record RiskMap(
    string Type,
    IReadOnlyList<RiskMapFeature> Features,
    int UnplacedUnits,
    int GridsWithoutBoundary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);

public sealed class RiskMapHandler(DbSession db, ICurrentUser user) : IQueryHandler<RiskMapQuery, RiskMap>
{
    private const string GridsBody = """
        SELECT o.code AS Code, o.name AS Name, o.path AS Path, b.geojson AS GeoJson
        FROM org_units o LEFT JOIN org_unit_boundaries b ON b.org_code = o.code
        WHERE o.level = 'grid' AND o.retired_at IS NULL AND o.path >= @PathFrom AND o.path < @PathTo AND o.path > COALESCE(@After, '')
        ORDER BY o.path
        """;

    internal static readonly Sql Grids = new($"{GridsBody} LIMIT @Take", $"{GridsBody} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");

    // The page's grids are consecutive in path order and grids are leaves, so their units are one range of ix_units_org_path.
    private const string InRange = """
        u.org_path >= @PathFrom AND u.org_path < @PathTo AND u.org_path >= @FirstGrid AND u.org_path < @PastLastGrid AND u.closed_at IS NULL
          AND (@Only IS NULL OR EXISTS (SELECT 1 FROM user_units uu WHERE uu.user_id = @Only AND uu.unit_id = u.id))
        """;

    internal static readonly Sql Units = Sql.Portable($"""
        SELECT u.id AS Id, u.name AS Name, u.grid_code AS GridCode, u.risk_colour AS RiskColour FROM units u WHERE {InRange} ORDER BY u.org_path, u.id
        """);

    internal static readonly Sql MajorRisks = Sql.Portable($"""
        SELECT r.unit_id AS UnitId, r.name AS Name, r.risk_colour AS RiskColour
        FROM unit_major_risks r JOIN units u ON u.id = r.unit_id WHERE {InRange} ORDER BY r.unit_id, r.id
        """);

    internal static readonly Sql OrgPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code");

    public async ValueTask<RiskMap> Handle(RiskMapQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var path = await db.Single<string>(OrgPath, new { Code = query.OrgUnit ?? actor.OrgCode }, ct);
        if (path is null || !actor.CoversPath(path))
        {
            throw ProblemException.NotFound("org_unit");
        }

        var limit = Paging.Limit(query.Limit);
        var after = Cursor.Decode(query.Cursor, "rm1", 1)?[0];
        var scope = new { PathFrom = path, PathTo = OrgPaths.UpperBound(path) };
        var grids = await db.Query<GridRow>(Grids, new { scope.PathFrom, scope.PathTo, After = after, Take = limit + 1 }, ct);
        var page = grids.Take(limit).ToList();
        if (page.Count == 0)
        {
            return new RiskMap("FeatureCollection", [], 0, 0, null);
        }

        var range = new
        {
            scope.PathFrom, scope.PathTo, FirstGrid = page[0].Path, PastLastGrid = OrgPaths.UpperBound(page[^1].Path),
            Only = actor.Role == Role.UnitOfficer ? actor.UserId : (Guid?)null,
        };
        var units = await db.Query<UnitRow>(Units, range, ct);
        var risks = (await db.Query<RiskRow>(MajorRisks, range, ct)).ToLookup(r => r.UnitId);
        var unitsByGrid = units.ToLookup(u => u.GridCode);

        var areas = new List<RiskMapFeature>();
        var marks = new List<RiskMapFeature>();
        var unplaced = 0;
        foreach (var grid in page)
        {
            var inGrid = unitsByGrid[grid.Code].Select(u => Mark(u, risks[u.Id])).ToList();
            if (grid.GeoJson is null)
            {
                unplaced += inGrid.Count;
                continue;
            }

            using var geometry = JsonDocument.Parse(grid.GeoJson);
            RiskColour? worst = inGrid.Count == 0 ? null : inGrid.Min(m => m.Colour);
            areas.Add(new RiskMapFeature("Feature", grid.Code, geometry.RootElement.Clone(),
                new GridAreaProperties("grid", grid.Code, grid.Name, worst, inGrid.Count)));
            var inside = BoundaryShape.Read(grid.GeoJson).InteriorPoint;
            var point = JsonSerializer.SerializeToElement(PointGeometry.At(inside.X, inside.Y), JsonSerializerOptions.Web);
            marks.AddRange(inGrid.Select(m => new RiskMapFeature("Feature", m.Id.ToString("D"), point, m)));
        }

        return new RiskMap("FeatureCollection", [.. areas, .. marks], unplaced, page.Count(g => g.GeoJson is null),
            grids.Count > limit ? Cursor.Encode("rm1", page[^1].Path) : null);
    }

    /// <summary>Red is the worst: <see cref="RiskColour"/> is declared red, orange, yellow, blue.</summary>
    private static UnitMarkProperties Mark(UnitRow unit, IEnumerable<RiskRow> risks)
    {
        var own = Wire.Parse<RiskColour>(unit.RiskColour);
        var majors = risks.Select(r => new MajorRiskMark(r.Name, Wire.Parse<RiskColour>(r.RiskColour))).ToList();
        var worst = majors.Select(m => m.Colour).Append(own).Min();
        return new UnitMarkProperties("unit", unit.Id, unit.Name, unit.GridCode, worst, own, majors, "gridInterior");
    }

    private sealed record GridRow(string Code, string Name, string Path, string? GeoJson);

    private sealed class UnitRow
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string GridCode { get; set; } = "";
        public string RiskColour { get; set; } = "";
    }

    private sealed class RiskRow
    {
        public Guid UnitId { get; set; }
        public string Name { get; set; } = "";
        public string RiskColour { get; set; } = "";
    }
}
