using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// The one way a lifecycle action runs: load within scope, refuse a stale version, let the domain move the
/// case, save the move with its history row, answer the case as it now stands.
/// </summary>
public sealed class CaseChanges(CaseStore store, CaseViews views, ICurrentUser user, TimeProvider clock)
{
    public async Task<CaseView> Apply(Guid caseId, int version, Func<HazardCase, CaseActor, DateTimeOffset, CaseEvent> move, CancellationToken ct)
    {
        var actor = user.Actor;
        var (hazard, place) = await store.Load(caseId, actor, ct);
        if (hazard.Version != version)
        {
            throw ProblemException.StaleVersion();
        }

        var change = move(hazard, new CaseActor(actor.Login, actor.Role), clock.GetUtcNow());
        ResponsibleSide.Require(actor, hazard, change.Action);
        await store.Save(hazard, place, change, version, ct);
        var (saved, savedPlace) = await store.Load(caseId, actor, ct);
        return await views.Full(saved, savedPlace, ct);
    }
}
