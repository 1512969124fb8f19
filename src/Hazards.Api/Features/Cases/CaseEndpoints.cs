using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Cases;

public static class CaseEndpoints
{
    public static RouteGroupBuilder MapCases(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("/", Report).WithName("ReportCase");
        cases.MapGet("/", List).WithName("ListCases");
        cases.MapGet("/{id:guid}", Get).WithName("GetCase");
        cases.MapGet("/{id:guid}/history/verify", async (Guid id, ISender sender, CancellationToken ct) =>
            TypedResults.Ok(await sender.Send(new VerifyHistoryQuery(id), ct))).WithName("VerifyCaseHistory");
        cases.MapPost("/{id:guid}/assign", (Guid id, AssignCaseCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("AssignCase");
        cases.MapPost("/{id:guid}/reject", (Guid id, RejectCaseCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("RejectCase");
        cases.MapPost("/{id:guid}/plan", (Guid id, SubmitPlanCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("SubmitPlan");
        cases.MapPost("/{id:guid}/plan/approve", (Guid id, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, new ApprovePlanCommand(id, Versions.RequireIfMatch(h)), ct)).WithName("ApprovePlan");
        cases.MapPost("/{id:guid}/extension", (Guid id, RequestExtensionCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("RequestExtension");
        cases.MapPost("/{id:guid}/extension/decide", (Guid id, DecideExtensionCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("DecideExtension");
        cases.MapPost("/{id:guid}/fix", (Guid id, SubmitFixCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("SubmitFix");
        cases.MapPost("/{id:guid}/verify", (Guid id, VerifyFixCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("VerifyFix");
        cases.MapPost("/{id:guid}/reopen", (Guid id, ReopenCaseCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Act(h, s, body with { CaseId = id, Version = Versions.RequireIfMatch(h) }, ct)).WithName("ReopenCase");

        api.MapGet("/me/tasks", Tasks).WithTags("Me").WithName("GetMyTasks");
        api.MapGet("/me/tasks/{list}", TaskList).WithTags("Me").WithName("GetMyTaskList");
        return api;
    }

    private static async Task<Created<CaseView>> Report(ReportCaseCommand command, ISender sender, HttpContext http, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        Versions.SetETag(http, view.Version);
        return TypedResults.Created($"/api/v1/cases/{view.Id}", view);
    }

    private static async Task<Ok<CasePage>> List(
        string? status, string? level, string? sector, string? orgUnit, bool? overdue, bool? listed, int? limit, string? cursor,
        ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListCasesQuery(status, level, sector, orgUnit, overdue, listed, limit, cursor), ct));

    private static async Task<Ok<CaseView>> Get(Guid id, ISender sender, HttpContext http, CancellationToken ct)
    {
        var view = await sender.Send(new GetCaseQuery(id), ct);
        Versions.SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<CaseView>> Act(HttpContext http, ISender sender, ICommand<CaseView> command, CancellationToken ct)
    {
        var view = await sender.Send(command, ct);
        Versions.SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<MyTasks>> Tasks(int? limit, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetMyTasksQuery(limit), ct));

    private static async Task<Ok<TaskPage>> TaskList(string list, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetTaskListQuery(list, limit, cursor), ct));
}
