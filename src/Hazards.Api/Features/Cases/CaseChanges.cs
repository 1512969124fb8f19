using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// The one way a lifecycle action runs: one read (the case, held, with its history tail) within scope, one version
/// check, the domain's move, the save with its history row, and the answer built from the state just written.
/// </summary>
public sealed class CaseChanges(CaseStore store, CaseViews views, ICurrentUser user, TimeProvider clock)
{
    public async Task<CaseView> Apply(Guid caseId, int version, Func<HazardCase, CaseActor, DateTimeOffset, CaseEvent> move, CancellationToken ct)
    {
        var (saved, place) = await Move(user.Actor, caseId, version, move, ct);
        return await views.Full(saved, place, ct);
    }

    /// <summary>
    /// The same for <paramref name="actor"/>, who may be a mail link's recipient rather than a token's user; without a
    /// <paramref name="version"/> for a move that is no edit of the case (a 签收, recorded once per person and notice).
    /// </summary>
    public async Task<(HazardCase Saved, CasePlace Place)> Move(
        Actor actor, Guid caseId, int? version, Func<HazardCase, CaseActor, DateTimeOffset, CaseEvent> move, CancellationToken ct)
    {
        var (hazard, place, tail) = await store.LoadForChange(caseId, actor, ct);
        if (version is { } expected && hazard.Version != expected)
        {
            throw ProblemException.StaleVersion();
        }

        var change = move(hazard, new CaseActor(actor.Login, actor.Role), clock.GetUtcNow());
        ResponsibleSide.Require(actor, hazard, change.Action);
        return (await store.Save(hazard, place, change, tail, ct), place);
    }
}
