using FluentValidation;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>整改完成: the fix with its evidence, handed to the verifier.</summary>
public sealed record SubmitFixCommand(
    string? Note,
    IReadOnlyList<Guid>? AttachmentIds,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class SubmitFixValidator : AbstractValidator<SubmitFixCommand>
{
    public SubmitFixValidator()
    {
        RuleFor(c => c.Note).MaximumLength(4000);
        RuleFor(c => c.AttachmentIds).NotEmpty().WithMessage("A fix needs evidence: upload photos or documents first.");
        RuleFor(c => c.AttachmentIds).MaxItems(20).WithMessage("At most 20 attachments.");
    }
}

public sealed class SubmitFixHandler(CaseChanges changes, DeadlineCalculator deadlines) : ICommandHandler<SubmitFixCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(SubmitFixCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.SubmitFix(command.Note, command.AttachmentIds!, actor, now, deadlines), ct);
}
