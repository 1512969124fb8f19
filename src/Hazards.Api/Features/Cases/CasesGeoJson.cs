using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>A GeoJSON Point (RFC 7946 §3.1.2): longitude first, then latitude, in WGS-84.</summary>
public sealed record PointGeometry(string Type, IReadOnlyList<double> Coordinates)
{
    public static PointGeometry At(double longitude, double latitude) => new("Point", [longitude, latitude]);
}

public sealed record CaseFeatureProperties(
    Guid Id, string Code, string Title, CaseStatus Status, HazardLevel Level, Sector Sector, Origin Origin, bool Overdue,
    DateTimeOffset? Deadline, bool Listed, int EscalationStep);

public sealed record CaseFeature(string Type, Guid Id, PointGeometry Geometry, CaseFeatureProperties Properties);

/// <summary>
/// A page of cases as an RFC 7946 FeatureCollection. <see cref="Unplaced"/> (the page's cases with no position, left out of
/// the features) and <see cref="NextCursor"/> are foreign members (RFC 7946 §6.1), which GIS readers ignore.
/// </summary>
public sealed record CaseFeatureCollection(
    string Type,
    IReadOnlyList<CaseFeature> Features,
    int Unplaced,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor)
{
    public static CaseFeatureCollection Of(CasePage page)
    {
        var features = page.Items
            .Where(c => c.Location is { Latitude: not null, Longitude: not null })
            .Select(c => new CaseFeature("Feature", c.Id, PointGeometry.At(c.Location.Longitude!.Value, c.Location.Latitude!.Value),
                new CaseFeatureProperties(c.Id, c.Code, c.Title, c.Status, c.Level, c.Sector, c.Origin, c.Overdue, c.Deadline, c.Listed, c.EscalationStep)))
            .ToList();
        return new CaseFeatureCollection("FeatureCollection", features, page.Items.Count - features.Count, page.NextCursor);
    }
}

/// <summary><c>GET /cases.geojson</c>: the list of cases, its filters, paging and scope, for a GIS client.</summary>
public static class CasesGeoJson
{
    public const string ContentType = "application/geo+json";

    public static RouteGroupBuilder MapCasesGeoJson(this RouteGroupBuilder api)
    {
        api.MapGet("/cases.geojson", List).WithTags("Cases").WithName("ListCasesGeoJson")
            .WithSummary("Find cases in the caller's scope, as GeoJSON")
            .WithDescription("The filters and paging of `GET /api/v1/cases`, answered as an RFC 7946 FeatureCollection (`application/geo+json`): "
                + "each case of the page that has a position is a Point in WGS-84, longitude first. The page's cases without one are counted "
                + "in the foreign member `unplaced`; `nextCursor` pages on as in the list.")
            .Produces<CaseFeatureCollection>(StatusCodes.Status200OK, ContentType);
        return api;
    }

    private static async Task<JsonHttpResult<CaseFeatureCollection>> List(
        string? status, string? level, string? sector, string? orgUnit, bool? overdue, bool? listed, int? limit, string? cursor,
        string? code, [MaxLength(Paging.MaxSearchLength)] string? q, string? origin, Guid? unitId, string? reporter, DateOnly? reportedFrom, DateOnly? reportedTo,
        DateOnly? deadlineBefore, ISender sender, CancellationToken ct)
    {
        var page = await sender.Send(new ListCasesQuery(status, level, sector, orgUnit, overdue, listed, limit, cursor,
            code, q, origin, unitId, reporter, reportedFrom, reportedTo, deadlineBefore), ct);
        return TypedResults.Json(CaseFeatureCollection.Of(page), contentType: ContentType);
    }
}
