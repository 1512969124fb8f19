using FluentValidation;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>核查: pass closes the case (销号), fail sends it back for rework (返工).</summary>
public sealed record VerifyFixCommand(
    bool? Passed,
    string? Note,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class VerifyFixValidator : AbstractValidator<VerifyFixCommand>
{
    public VerifyFixValidator()
    {
        RuleFor(c => c.Passed).NotNull();
        RuleFor(c => c.Note).NotEmpty().When(c => c.Passed == false).WithMessage("A failed verification needs a note saying what is wrong.");
        RuleFor(c => c.Note).MaximumLength(4000);
    }
}

public sealed class VerifyFixHandler(CaseChanges changes) : ICommandHandler<VerifyFixCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(VerifyFixCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.Verify(command.Passed!.Value, command.Note, actor, now), ct);
}
