using FluentValidation;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain.Deadlines;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>延期申请: the responsible side asks for a later last day, with a reason.</summary>
public sealed record RequestExtensionCommand(
    DateOnly? Until,
    string? Reason,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class RequestExtensionValidator : AbstractValidator<RequestExtensionCommand>
{
    public RequestExtensionValidator(TimeProvider clock, DeadlinePolicy policy)
    {
        RuleFor(c => c.Until).NotNull().WithinPolicy(clock, policy);
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }
}

public sealed class RequestExtensionHandler(CaseChanges changes) : ICommandHandler<RequestExtensionCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(RequestExtensionCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.RequestExtension(command.Until!.Value, command.Reason!, actor, now), ct);
}
