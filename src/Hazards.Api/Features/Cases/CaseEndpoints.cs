using System.ComponentModel.DataAnnotations;
using Hazards.Api.Features.Supervision;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;

namespace Hazards.Api.Features.Cases;

public static class CaseEndpoints
{
    public static RouteGroupBuilder MapCases(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("/", Report).WithName("ReportCase").WithETag()
            .WithSummary("Report a hazard (自查自报 or a grid patrol's find)")
            .WithDescription("Opens a case in the reporter's scope. Name where it is by `gridCode`, by `unitId`, or by `location` alone "
                + "(GPS in WGS-84, or `crs: gcj02` for a map app's position): the grid whose boundary holds it is found. "
                + "Photos are uploaded first (POST /api/v1/attachments) and named in `attachmentIds`. A major hazard found "
                + "by its own unit is marked self-reported. Answers the case with its ETag; send an Idempotency-Key so a retry on a bad line reports it once.")
            .WithExample(new
            {
                title = "消防通道堵塞",
                description = "商铺门前堆放杂物，堵塞消防通道约10米",
                sector = "fire",
                origin = "gridPatrol",
                gridCode = "500103001001001",
                location = new { latitude = 29.5577, longitude = 106.5770, address = "渝中区解放碑步行街" },
            });
        cases.MapGet("/", List).WithName("ListCases")
            .WithSummary("Find cases in the caller's scope")
            .WithDescription("Newest report first, paged by `limit` and the opaque `nextCursor`. The filters combine; `q` matches text "
                + "in the title, description and address (two-character Chinese words such as 消防 match). `total=true` adds the count.");
        cases.MapGet("/{id:guid}", Get).WithName("GetCase").WithETag()
            .WithSummary("Read a case")
            .WithDescription("The case with its history, deadlines, ladder step and attachments; its ETag is the version to send in If-Match with the next action. "
                + "A case outside the caller's scope answers 404, as an unknown one does.");
        cases.MapGet("/by-code/{code}", (string code, ISender sender, HttpContext http, CancellationToken ct) =>
            sender.Send(new GetCaseByCodeQuery(code), ct).Tagged(http, v => v.Version)).WithName("GetCaseByCode").WithETag();
        cases.MapGet("/{id:guid}/history", async (Guid id, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
            TypedResults.Ok(await sender.Send(new GetCaseHistoryQuery(id, limit, cursor), ct))).WithName("GetCaseHistory");
        cases.MapGet("/{id:guid}/history/verify", async (Guid id, ISender sender, CancellationToken ct) =>
            TypedResults.Ok(await sender.Send(new VerifyHistoryQuery(id), ct))).WithName("VerifyCaseHistory");
        cases.MapCaseAction<AssignCaseCommand>("/{id:guid}/assign").WithName("AssignCase")
            .WithSummary("Triage a reported case: confirm its level and set who fixes it by when")
            .WithDescription("A township officer or regulator confirms the level (a major hazard is listed), may name the standard clause, "
                + "the responsible unit and a deadline; without one the deadline follows from the level in working days.")
            .WithExample(new { level = "general", standardClause = "《消防法》第二十八条" });
        cases.MapCaseAction<RejectCaseCommand>("/{id:guid}/reject").WithName("RejectCase");
        cases.MapCaseAction<SubmitPlanCommand>("/{id:guid}/plan").WithName("SubmitPlan");
        cases.MapPost("/{id:guid}/plan/approve", (Guid id, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(new ApprovePlanCommand(id, Versions.RequireIfMatch(h)), ct).Tagged(h, v => v.Version)).WithName("ApprovePlan").WithIfMatch();
        cases.MapCaseAction<RequestExtensionCommand>("/{id:guid}/extension").WithName("RequestExtension");
        cases.MapCaseAction<DecideExtensionCommand>("/{id:guid}/extension/decide").WithName("DecideExtension");
        cases.MapCaseAction<SubmitFixCommand>("/{id:guid}/fix").WithName("SubmitFix")
            .WithSummary("Submit the fix (自改) with its evidence")
            .WithDescription("The responsible unit says what was done and names the photos of the fix, uploaded before. The case waits for verification.")
            .WithExample(new { note = "杂物已清理，通道畅通", attachmentIds = new[] { "0193c2a4-5e6f-7a8b-9c0d-1e2f3a4b5c6d" } });
        cases.MapCaseAction<VerifyFixCommand>("/{id:guid}/verify").WithName("VerifyFix")
            .WithSummary("Verify the fix (验收): sign it off, or send it back")
            .WithDescription("The township officer or regulator who verifies: `passed: true` closes the case (销号), `passed: false` sends it back to be fixed again.")
            .WithExample(new { passed = true, note = "现场复核，整改到位" });
        cases.MapCaseAction<ReopenCaseCommand>("/{id:guid}/reopen").WithName("ReopenCase");

        // Spot checks, rewards and 挂牌督办 move a case too; the API document keeps them under supervision.
        var supervised = api.MapGroup("/cases").WithTags("Supervision");
        supervised.MapCaseAction<RecordSpotCheckCommand>("/{id:guid}/spot-check").WithName("RecordSpotCheck");
        supervised.MapCaseAction<DecideRewardCommand>("/{id:guid}/reward").WithName("DecideReward");
        supervised.MapCaseAction<ListCaseCommand>("/{id:guid}/list").WithName("ListCase");
        supervised.MapCaseAction<DelistCaseCommand>("/{id:guid}/delist").WithName("DelistCase");
        return api.MapCasesGeoJson();
    }

    private static Task<Created<CaseView>> Report(ReportCaseCommand command, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(command, ct).CreatedTagged(http, v => v.Version, v => $"/api/v1/cases/{v.Id}");

    private static async Task<Ok<CasePage>> List(
        string? status, string? level, string? sector, string? orgUnit, bool? overdue, bool? listed, int? limit, string? cursor,
        string? code, [MaxLength(Paging.MaxSearchLength)] string? q, string? origin, Guid? unitId, string? reporter, DateOnly? reportedFrom, DateOnly? reportedTo,
        DateOnly? deadlineBefore, bool? total, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListCasesQuery(status, level, sector, orgUnit, overdue, listed, limit, cursor,
            code, q, origin, unitId, reporter, reportedFrom, reportedTo, deadlineBefore, total), ct));

    private static Task<Ok<CaseView>> Get(Guid id, ISender sender, HttpContext http, CancellationToken ct) =>
        sender.Send(new GetCaseQuery(id), ct).Tagged(http, v => v.Version);

    /// <summary><c>POST {pattern}</c> for a move of the case <c>{id}</c>: the body's action, at the version named in If-Match.</summary>
    private static RouteHandlerBuilder MapCaseAction<T>(this RouteGroupBuilder cases, string pattern)
        where T : CaseActionCommand, ICommand<CaseView> =>
        cases.MapPost(pattern, (Guid id, T body, ISender sender, HttpContext http, CancellationToken ct) =>
            sender.Send((T)(((CaseActionCommand)body) with { CaseId = id, Version = Versions.RequireIfMatch(http) }), ct).Tagged(http, v => v.Version))
            .WithIfMatch();
}
