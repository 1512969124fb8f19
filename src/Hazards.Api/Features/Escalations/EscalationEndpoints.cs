using System.ComponentModel.DataAnnotations;
using Mediator;

namespace Hazards.Api.Features.Escalations;

public static class EscalationEndpoints
{
    public static RouteGroupBuilder MapEscalations(this RouteGroupBuilder api)
    {
        api.MapGet("/escalations", List).WithTags("Escalations").WithName("ListEscalations");
        api.MapPost("/escalations/{id:guid}/acknowledge", Acknowledge).WithTags("Escalations").WithName("AcknowledgeEscalation")
            .WithSummary("签收: say you received a notice")
            .WithDescription("For a recipient of the notice (or of its 叫应 chase). Recorded once per person and notice: a repeat answers the first "
                + "acknowledgement with alreadyAcknowledged true. An addressee's acknowledgement of a 警示函 or above answers it, so nobody above is called.");
        return api;
    }

    private static async Task<Ok<AcknowledgementView>> Acknowledge(Guid id, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new AcknowledgeNoticeCommand(id), ct));

    private static async Task<Ok<NoticePage>> List(
        string? orgUnit, [Range(ListEscalationsHandler.MinStep, ListEscalationsHandler.MaxStep)] int? step, Guid? subject, DateOnly? from, DateOnly? to, int? limit, string? cursor, ISender sender, CancellationToken ct) =>
        TypedResults.Ok(await sender.Send(new ListEscalationsQuery(orgUnit, step, subject, from, to, limit, cursor), ct));
}
