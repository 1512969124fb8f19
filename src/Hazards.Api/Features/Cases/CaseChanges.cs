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
        var actor = user.Actor;
        var (hazard, place, tail) = await store.LoadForChange(caseId, actor, ct);
        if (hazard.Version != version)
        {
            throw ProblemException.StaleVersion();
        }

        var change = move(hazard, new CaseActor(actor.Login, actor.Role), clock.GetUtcNow());
        ResponsibleSide.Require(actor, hazard, change.Action);
        var saved = await store.Save(hazard, place, change, tail, ct);
        return await views.Full(saved, place, ct);
    }
}
