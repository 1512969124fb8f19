using System.ComponentModel.DataAnnotations;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;

namespace Hazards.Api.Features.Units;

public static class UnitEndpoints
{
    public static RouteGroupBuilder MapUnits(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/units").WithTags("Units");
        group.MapPost("/", CreateUnit).WithName("CreateUnit").WithETag();
        group.MapGet("/", ListUnits).WithName("ListUnits");
        group.MapGet("/{id:guid}", GetUnit).WithName("GetUnit").WithETag();
        group.MapPut("/{id:guid}", UpdateUnit).WithName("UpdateUnit").WithIfMatch();
        group.MapPost("/{id:guid}/close", CloseUnit).WithName("CloseUnit").WithIfMatch();
        group.MapGet("/{id:guid}/plans", ListPlans).WithName("ListUnitPlans");
        return api;
    }

    private static Task<Created<UnitView>> CreateUnit(CreateUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command, ct).CreatedTagged(http, u => u.Version, u => $"/api/v1/units/{u.Id}");

    private static async Task<Ok<UnitPage>> ListUnits(
        string? orgUnit, [MaxLength(Paging.MaxSearchLength)] string? q, string? sector, string? risk, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListUnitsQuery(orgUnit, q, sector, risk, limit, cursor), ct));

    private static Task<Ok<UnitView>> GetUnit(Guid id, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(new GetUnitQuery(id), ct).Tagged(http, u => u.Version);

    private static Task<Ok<UnitView>> UpdateUnit(Guid id, UpdateUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Id = id, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, u => u.Version);

    private static Task<Ok<CloseUnitView>> CloseUnit(Guid id, CloseUnitCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command with { Id = id, Version = Versions.RequireIfMatch(http) }, ct).Tagged(http, c => c.Unit.Version);

    private static async Task<Ok<UnitPlans>> ListPlans(Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListUnitPlansQuery(id), ct));
}
