using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public static class OrgUnitEndpoints
{
    public static RouteGroupBuilder MapOrgUnits(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/org-units").WithTags("Org units");
        group.MapGet("/{code}", GetOrgUnit).WithName("GetOrgUnit");
        group.MapPost("/", CreateOrgUnit).WithName("CreateOrgUnit");
        group.MapPut("/{code}", RenameOrgUnit).WithName("RenameOrgUnit");
        group.MapPost("/{code}/retire", RetireOrgUnit).WithName("RetireOrgUnit");
        group.MapPost("/{code}/merge", MergeOrgUnit).WithName("MergeOrgUnit");
        return api;
    }

    private static async Task<Ok<OrgUnitView>> GetOrgUnit(string code, ISender sender, HttpContext http, CancellationToken ct)
    {
        var unit = await sender.Send(new GetOrgUnitQuery(code), ct);
        Versions.SetETag(http, unit.Version);
        return TypedResults.Ok(unit);
    }

    private static async Task<Created<OrgUnitView>> CreateOrgUnit(CreateOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct)
    {
        var unit = await sender.Send(command, ct);
        Versions.SetETag(http, unit.Version);
        return TypedResults.Created($"/api/v1/org-units/{unit.Code}", unit);
    }

    private static async Task<Ok<OrgUnitView>> RenameOrgUnit(string code, RenameOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct)
    {
        var version = Versions.RequireIfMatch(http);
        var unit = await sender.Send(command with { Code = code, Version = version }, ct);
        Versions.SetETag(http, unit.Version);
        return TypedResults.Ok(unit);
    }

    private static async Task<Ok<OrgUnitView>> RetireOrgUnit(string code, RetireOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct)
    {
        var version = Versions.RequireIfMatch(http);
        var unit = await sender.Send(command with { Code = code, Version = version }, ct);
        Versions.SetETag(http, unit.Version);
        return TypedResults.Ok(unit);
    }

    private static async Task<Ok<MergeView>> MergeOrgUnit(string code, MergeOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct)
    {
        var version = Versions.RequireIfMatch(http);
        var merged = await sender.Send(command with { Code = code, Version = version }, ct);
        Versions.SetETag(http, merged.Retired.Version);
        return TypedResults.Ok(merged);
    }
}
