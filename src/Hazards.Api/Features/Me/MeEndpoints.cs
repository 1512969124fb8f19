using Hazards.Api.Features.Cases;
using Mediator;

namespace Hazards.Api.Features.Me;

public static class MeEndpoints
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", GetMe).WithName("GetMe");
        me.MapGet("/tasks", Tasks).WithName("GetMyTasks")
            .WithSummary("What waits for the caller")
            .WithDescription("The caller's inbox, one page per list (toTriage, toFix, toVerify, plansToApprove, extensionsToDecide, overdue, spotChecks), as the lifecycle's roles give them; GET /api/v1/me/tasks/{list} pages one list.");
        me.MapGet("/tasks/{list}", TaskList).WithName("GetMyTaskList");
        return api;
    }

    private static async Task<Ok<MeView>> GetMe(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetMeQuery(), ct));

    private static async Task<Ok<MyTasks>> Tasks(int? limit, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetMyTasksQuery(limit), ct));

    private static async Task<Ok<TaskPage>> TaskList(string list, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetTaskListQuery(list, limit, cursor), ct));
}
