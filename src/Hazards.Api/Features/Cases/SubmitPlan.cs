using FluentValidation;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>The six-part rectification plan of a major hazard (重大事故隐患治理方案).</summary>
public sealed record SubmitPlanCommand(
    string? Goals,
    string? Measures,
    string? Funds,
    string? People,
    DateOnly? TimeLimit,
    string? SafetyMeasures,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class SubmitPlanValidator : AbstractValidator<SubmitPlanCommand>
{
    public SubmitPlanValidator(TimeProvider clock, DeadlinePolicy policy)
    {
        RuleFor(c => c.Goals).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.Measures).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.Funds).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.People).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.TimeLimit).NotNull().WithinPolicy(clock, policy);
        RuleFor(c => c.SafetyMeasures).NotEmpty().MaximumLength(4000);
    }
}

public sealed class SubmitPlanHandler(CaseChanges changes) : ICommandHandler<SubmitPlanCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(SubmitPlanCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) => hazard.SubmitPlan(
            new RectificationPlan(command.Goals!, command.Measures!, command.Funds!, command.People!, command.TimeLimit!.Value, command.SafetyMeasures!),
            actor, now), ct);
}
