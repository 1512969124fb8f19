using Mediator;

namespace Hazards.Api.Features.Inspections;

public static class InspectionEndpoints
{
    public static RouteGroupBuilder MapInspections(this RouteGroupBuilder api)
    {
        api.MapPost("/units/{id:guid}/plans", (Guid id, CreatePlanCommand body, ISender s, CancellationToken ct) =>
            CreatePlan(s, body with { UnitId = id, GridCode = null }, ct)).WithTags("Inspections").WithName("CreateUnitPlan");
        api.MapPost("/org-units/{code}/plans", (string code, CreatePlanCommand body, ISender s, CancellationToken ct) =>
            CreatePlan(s, body with { UnitId = null, GridCode = code }, ct)).WithTags("Inspections").WithName("CreateGridPlan");

        var inspections = api.MapGroup("/inspections").WithTags("Inspections");
        inspections.MapGet("/plans/{id:guid}", GetPlan).WithName("GetInspectionPlan");
        inspections.MapPost("/", Submit).WithName("SubmitInspection")
            .WithSummary("Record the daily, weekly or monthly check of a plan (日周月排查)")
            .WithDescription("Fills the plan's slot for its period (the current one unless `period` says which); each hazard found becomes a case. "
                + "Sending the same record again answers the first one.");
        inspections.MapGet("/due", Due).WithName("GetDueInspections");
        return api;
    }

    private static async Task<Created<PlanView>> CreatePlan(ISender sender, CreatePlanCommand command, CancellationToken ct)
    {
        var plan = await sender.Send(command, ct);
        return TypedResults.Created($"/api/v1/inspections/plans/{plan.Id}", plan);
    }

    private static async Task<Ok<PlanView>> GetPlan(Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetPlanQuery(id), ct));

    private static async Task<Results<Created<RecordView>, Ok<RecordView>>> Submit(SubmitInspectionCommand command, ISender sender, CancellationToken ct)
    {
        var submission = await sender.Send(command, ct);
        return submission.Created
            ? TypedResults.Created($"/api/v1/inspections/{submission.Record.Id}", submission.Record)
            : TypedResults.Ok(submission.Record);
    }

    private static async Task<Ok<SlotPage>> Due(
        Guid? unitId, string? gridCode, string? cadence, string? state, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetDueInspectionsQuery(unitId, gridCode, cadence, state, limit, cursor), ct));
}
