using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public static class OrgUnitEndpoints
{
    public static RouteGroupBuilder MapOrgUnits(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/org-units").WithTags("Org units");
        group.MapGet("/{code}", GetOrgUnit).WithName("GetOrgUnit").WithETag();
        group.MapPost("/", CreateOrgUnit).WithName("CreateOrgUnit").WithETag();
        group.MapPut("/{code}", RenameOrgUnit).WithName("RenameOrgUnit").WithIfMatch();
        group.MapPost("/{code}/retire", RetireOrgUnit).WithName("RetireOrgUnit").WithIfMatch();
        group.MapPost("/{code}/merge", MergeOrgUnit).WithName("MergeOrgUnit").WithIfMatch();
        group.MapBoundaries();
        return api;
    }

    private static Task<Ok<OrgUnitView>> GetOrgUnit(string code, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(new GetOrgUnitQuery(code), ct).Tagged(http, u => u.Version);

    private static Task<Created<OrgUnitView>> CreateOrgUnit(CreateOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command, ct).CreatedTagged(http, u => u.Version, u => $"/api/v1/org-units/{u.Code}");

    private static Task<Ok<OrgUnitView>> RenameOrgUnit(string code, RenameOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Code = code, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, u => u.Version);

    private static Task<Ok<OrgUnitView>> RetireOrgUnit(string code, RetireOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Code = code, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, u => u.Version);

    private static Task<Ok<MergeView>> MergeOrgUnit(string code, MergeOrgUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Code = code, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, m => m.Retired.Version);
}
