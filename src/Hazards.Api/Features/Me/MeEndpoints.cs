using Hazards.Api.Features.Cases;
using Mediator;

namespace Hazards.Api.Features.Me;

public static class MeEndpoints
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", GetMe).WithName("GetMe");
        me.MapGet("/tasks", Tasks).WithName("GetMyTasks");
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
