using FluentValidation;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>A closed case found not really fixed (假整改) goes back to rectifying, marked against the unit.</summary>
public sealed record ReopenCaseCommand(
    string? Reason,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class ReopenCaseValidator : AbstractValidator<ReopenCaseCommand>
{
    public ReopenCaseValidator()
    {
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }
}

public sealed class ReopenCaseHandler(CaseChanges changes, DeadlineCalculator deadlines) : ICommandHandler<ReopenCaseCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(ReopenCaseCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) => hazard.Reopen(command.Reason!, actor, now, deadlines), ct);
}
