using FluentValidation;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>交办: triage sets the level, the responsible unit and the deadline.</summary>
public sealed record AssignCaseCommand(
    HazardLevel? Level,
    string? StandardClause,
    Guid? ResponsibleUnitId,
    DateTimeOffset? Deadline,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class AssignCaseValidator : AbstractValidator<AssignCaseCommand>
{
    public AssignCaseValidator()
    {
        RuleFor(c => c.StandardClause).MaximumLength(400);
    }
}

public sealed class AssignCaseHandler(CaseChanges changes, DeadlineCalculator deadlines, UnitScope units, ICurrentUser user)
    : ICommandHandler<AssignCaseCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(AssignCaseCommand command, CancellationToken ct)
    {
        if (command.ResponsibleUnitId is { } unitId && !await units.IsVisible(unitId, user.Actor, ct))
        {
            throw ProblemException.NotFound("unit");
        }

        return await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.Assign(command.Level, command.StandardClause, command.ResponsibleUnitId, command.Deadline, actor, now, deadlines), ct);
    }
}
