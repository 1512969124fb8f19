using FluentValidation;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>The assigning level or above grants or refuses a pending extension.</summary>
public sealed record DecideExtensionCommand(
    bool? Approved,
    string? Reason,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class DecideExtensionValidator : AbstractValidator<DecideExtensionCommand>
{
    public DecideExtensionValidator()
    {
        RuleFor(c => c.Approved).NotNull();
        RuleFor(c => c.Reason).NotEmpty().When(c => c.Approved == false).WithMessage("A refusal needs a reason.");
        RuleFor(c => c.Reason).MaximumLength(2000);
    }
}

public sealed class DecideExtensionHandler(CaseChanges changes) : ICommandHandler<DecideExtensionCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(DecideExtensionCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.DecideExtension(command.Approved!.Value, command.Reason, actor, now), ct);
}
