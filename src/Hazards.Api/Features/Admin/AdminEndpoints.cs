using Mediator;

namespace Hazards.Api.Features.Admin;

public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin").WithTags("Administration");
        group.MapGet("/history", GetHistory).WithName("GetAdminHistory");
        return api;
    }

    private static async Task<Ok<AdminHistoryPage>> GetHistory(
        string? entity, string? id, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetAdminHistoryQuery(entity, id, from, to, limit, cursor), ct));
}
