using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>The district approves a major hazard's plan; its time limit becomes the deadline.</summary>
public sealed record ApprovePlanCommand(Guid CaseId = default, int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class ApprovePlanHandler(CaseChanges changes, DeadlineCalculator deadlines) : ICommandHandler<ApprovePlanCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(ApprovePlanCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) => hazard.ApprovePlan(actor, now, deadlines), ct);
}
