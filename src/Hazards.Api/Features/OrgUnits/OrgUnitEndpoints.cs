using Mediator;

namespace Hazards.Api.Features.OrgUnits;

public static class OrgUnitEndpoints
{
    public static RouteGroupBuilder MapOrgUnits(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/org-units").WithTags("Org units");
        group.MapGet("/{code}", GetOrgUnit).WithName("GetOrgUnit");
        return api;
    }

    private static async Task<Ok<OrgUnitView>> GetOrgUnit(string code, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetOrgUnitQuery(code), ct));
}
