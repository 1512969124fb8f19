using Hazards.Api.Features.Supervision;
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
        cases.MapGet("/by-code/{code}", (string code, ISender sender, HttpContext http, CancellationToken ct) =>
            sender.Send(new GetCaseByCodeQuery(code), ct).Tagged(http, v => v.Version)).WithName("GetCaseByCode");
        cases.MapGet("/{id:guid}/history", async (Guid id, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
            TypedResults.Ok(await sender.Send(new GetCaseHistoryQuery(id, limit, cursor), ct))).WithName("GetCaseHistory");
        cases.MapGet("/{id:guid}/history/verify", async (Guid id, ISender sender, CancellationToken ct) =>
            TypedResults.Ok(await sender.Send(new VerifyHistoryQuery(id), ct))).WithName("VerifyCaseHistory");
        cases.MapCaseAction<AssignCaseCommand>("/{id:guid}/assign").WithName("AssignCase");
        cases.MapCaseAction<RejectCaseCommand>("/{id:guid}/reject").WithName("RejectCase");
        cases.MapCaseAction<SubmitPlanCommand>("/{id:guid}/plan").WithName("SubmitPlan");
        cases.MapPost("/{id:guid}/plan/approve", (Guid id, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(new ApprovePlanCommand(id, Versions.RequireIfMatch(h)), ct).Tagged(h, v => v.Version)).WithName("ApprovePlan");
        cases.MapCaseAction<RequestExtensionCommand>("/{id:guid}/extension").WithName("RequestExtension");
        cases.MapCaseAction<DecideExtensionCommand>("/{id:guid}/extension/decide").WithName("DecideExtension");
        cases.MapCaseAction<SubmitFixCommand>("/{id:guid}/fix").WithName("SubmitFix");
        cases.MapCaseAction<VerifyFixCommand>("/{id:guid}/verify").WithName("VerifyFix");
        cases.MapCaseAction<ReopenCaseCommand>("/{id:guid}/reopen").WithName("ReopenCase");

        // Spot checks, rewards and 挂牌督办 move a case too; the API document keeps them under supervision.
        var supervised = api.MapGroup("/cases").WithTags("Supervision");
        supervised.MapCaseAction<RecordSpotCheckCommand>("/{id:guid}/spot-check").WithName("RecordSpotCheck");
        supervised.MapCaseAction<DecideRewardCommand>("/{id:guid}/reward").WithName("DecideReward");
        supervised.MapCaseAction<ListCaseCommand>("/{id:guid}/list").WithName("ListCase");
        supervised.MapCaseAction<DelistCaseCommand>("/{id:guid}/delist").WithName("DelistCase");
        return api;
    }

    private static Task<Created<CaseView>> Report(ReportCaseCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command, ct).CreatedTagged(http, v => v.Version, v => $"/api/v1/cases/{v.Id}");

    private static async Task<Ok<CasePage>> List(
        string? status, string? level, string? sector, string? orgUnit, bool? overdue, bool? listed, int? limit, string? cursor,
        string? code, string? q, string? origin, Guid? unitId, string? reporter, DateOnly? reportedFrom, DateOnly? reportedTo,
        DateOnly? deadlineBefore, bool? total, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListCasesQuery(status, level, sector, orgUnit, overdue, listed, limit, cursor,
            code, q, origin, unitId, reporter, reportedFrom, reportedTo, deadlineBefore, total), ct));

    private static Task<Ok<CaseView>> Get(Guid id, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(new GetCaseQuery(id), ct).Tagged(http, v => v.Version);

    /// <summary><c>POST {pattern}</c> for a move of the case <c>{id}</c>: the body's action, at the version named in If-Match.</summary>
    private static RouteHandlerBuilder MapCaseAction<T>(this RouteGroupBuilder cases, string pattern)
        where T : CaseActionCommand, ICommand<CaseView> =>
        cases.MapPost(pattern, (Guid id, T body, ISender sender, HttpContext http, CancellationToken ct) =>
            sender.Send((T)(((CaseActionCommand)body) with { CaseId = id, Version = Versions.RequireIfMatch(http) }), ct).Tagged(http, v => v.Version));
}
