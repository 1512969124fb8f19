using System.ComponentModel.DataAnnotations;
using Mediator;

namespace Hazards.Api.Features.Escalations;

public static class EscalationEndpoints
{
    public static RouteGroupBuilder MapEscalations(this RouteGroupBuilder api)
    {
        api.MapGet("/escalations", List).WithTags("Escalations").WithName("ListEscalations");
        return api;
    }

    private static async Task<Ok<NoticePage>> List(
        string? orgUnit, [Range(ListEscalationsHandler.MinStep, ListEscalationsHandler.MaxStep)] int? step, Guid? subject, DateOnly? from, DateOnly? to, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListEscalationsQuery(orgUnit, step, subject, from, to, limit, cursor), ct));
}
