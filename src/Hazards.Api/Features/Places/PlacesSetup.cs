using Hazards.Api.Infrastructure.OpenApi;
using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Places;

public static class PlacesSetup
{
    public static IServiceCollection AddPlaces(this IServiceCollection services)
    {
        services.AddValidatedOptions<LocationOptions>("Location");
        services.AddSingleton<BoundaryIndex>();
        services.AddScoped<BoundaryStore>();
        services.AddScoped<Locator>();
        return services;
    }

    /// <summary><c>GET /locate</c>: the district, township, village and grid of a position.</summary>
    public static RouteGroupBuilder MapPlaces(this RouteGroupBuilder api)
    {
        api.MapGet("/locate", Locate).WithTags("Places").WithName("Locate");
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

    private static async Task<JsonHttpResult<BoundaryFeature>> GetBoundary(string code, ISender sender, HttpContext http, CancellationToken ct) =>
        GeoJson(http, await sender.Send(new GetBoundaryQuery(code), ct));

    private static async Task<JsonHttpResult<BoundaryFeature>> SetBoundary(
        string code, System.Text.Json.JsonElement body, ISender sender, HttpContext http, CancellationToken ct) =>
        GeoJson(http, await sender.Send(new SetBoundaryCommand(code, Versions.RequireIfMatch(http), body), ct));

    private static JsonHttpResult<BoundaryFeature> GeoJson(HttpContext http, BoundaryFeature feature)
    {
        Versions.SetETag(http, feature.Properties.Version);
        return TypedResults.Json(feature, contentType: "application/geo+json");
    }
}
