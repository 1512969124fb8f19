using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Units;

public static class UnitEndpoints
{
    public static RouteGroupBuilder MapUnits(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/units").WithTags("Units");
        group.MapPost("/", CreateUnit).WithName("CreateUnit");
        group.MapGet("/{id:guid}", GetUnit).WithName("GetUnit");
        return api;
    }

    private static async Task<Created<UnitView>> CreateUnit(CreateUnitCommand command, ISender sender, HttpContext http, CancellationToken ct)
    {
        var unit = await sender.Send(command, ct);
        Versions.SetETag(http, unit.Version);
        return TypedResults.Created($"/api/v1/units/{unit.Id}", unit);
    }

    private static async Task<Ok<UnitView>> GetUnit(Guid id, ISender sender, HttpContext http, CancellationToken ct)
    {
        var unit = await sender.Send(new GetUnitQuery(id), ct);
        Versions.SetETag(http, unit.Version);
        return TypedResults.Ok(unit);
    }
}
