using Mediator;

namespace Hazards.Api.Features.Me;

public static class MeEndpoints
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", GetMe).WithName("GetMe");
        return api;
    }

    private static async Task<Ok<MeView>> GetMe(ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new GetMeQuery(), ct));
}
