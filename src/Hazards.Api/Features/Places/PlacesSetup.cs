using Hazards.Api.Infrastructure.OpenApi;
using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Places;

public static class PlacesSetup
{
    private const string GeoJsonType = "application/geo+json";

    public static IServiceCollection AddPlaces(this IServiceCollection services)
    {
        services.AddValidatedOptions<LocationOptions>("Location");
        services.AddSingleton<BoundaryIndex>();
        services.AddScoped<BoundaryStore>();
        services.AddScoped<BoundaryCheck>();
        services.AddScoped<BoundaryImport>();
        services.AddScoped<Locator>();
        return services;
    }

    /// <summary><c>GET /locate</c>: the district, township, village and grid of a position.</summary>
    public static RouteGroupBuilder MapPlaces(this RouteGroupBuilder api)
    {
        api.MapGet("/locate", Locate).WithTags("Places").WithName("Locate");
        api.MapGet("/risk-map", RiskMap).WithTags("Places").WithName("GetRiskMap")
            .WithSummary("The 风险四色图 of an org unit, as GeoJSON")
            .WithDescription("An RFC 7946 FeatureCollection (`application/geo+json`) of a page of the grids under `orgUnit` (default: the caller's own), "
                + "at most `limit` grids (1-200, 50 by default), paged by `nextCursor`: each grid with a boundary is a Polygon coloured by the worst "
                + "risk of its units (red > orange > yellow > blue; none without units), and each of its units a Point at the grid's interior point "
                + "(`placedBy: gridInterior`, as units carry no position), coloured by the worst of its own colour and its major risks'. The units of "
                + "grids without a boundary are counted in `unplacedUnits`.")
            .Produces<RiskMap>(StatusCodes.Status200OK, GeoJsonType);
        return api;
    }

    /// <summary>The boundary routes of an org unit, mapped with the org unit's own.</summary>
    public static RouteGroupBuilder MapBoundaries(this RouteGroupBuilder orgUnits)
    {
        var limit = new BodySizeLimit(((IEndpointRouteBuilder)orgUnits).ServiceProvider.GetRequiredService<LocationOptions>().MaxBoundaryBytes);
        orgUnits.MapGet("/{code}/boundary", GetBoundary).WithName("GetOrgUnitBoundary").WithETag();
        orgUnits.MapPut("/{code}/boundary", SetBoundary).WithName("SetOrgUnitBoundary").WithIfMatch().WithMetadata(limit)
            .Accepts<BoundaryFeature>("application/geo+json", "application/json");
        return orgUnits;
    }

    private static async Task<Ok<LocateView>> Locate(double? lat, double? lng, string? crs, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new LocateQuery(lat, lng, crs), ct));

    private static async Task<JsonHttpResult<RiskMap>> RiskMap(string? orgUnit, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Json(await sender.Send(new RiskMapQuery(orgUnit, limit, cursor), ct), contentType: GeoJsonType);

    private static async Task<JsonHttpResult<BoundaryFeature>> GetBoundary(string code, ISender sender, HttpContext http, CancellationToken ct) =>
        GeoJson(http, await sender.Send(new GetBoundaryQuery(code), ct));

    private static async Task<JsonHttpResult<BoundaryFeature>> SetBoundary(
        string code, System.Text.Json.JsonElement body, ISender sender, HttpContext http, CancellationToken ct) =>
        GeoJson(http, await sender.Send(new SetBoundaryCommand(code, Versions.RequireIfMatch(http), body), ct));

    private static JsonHttpResult<BoundaryFeature> GeoJson(HttpContext http, BoundaryFeature feature)
    {
        Versions.SetETag(http, feature.Properties.Version);
        return TypedResults.Json(feature, contentType: GeoJsonType);
    }
}
