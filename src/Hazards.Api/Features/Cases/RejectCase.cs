using FluentValidation;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>不予立案: a report that is no hazard, or a duplicate of another case.</summary>
public sealed record RejectCaseCommand(
    string? Reason,
    Guid? DuplicateOf,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class RejectCaseValidator : AbstractValidator<RejectCaseCommand>
{
    public RejectCaseValidator()
    {
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }
}

public sealed class RejectCaseHandler(CaseChanges changes, CaseLookup lookup, ICurrentUser user) : ICommandHandler<RejectCaseCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(RejectCaseCommand command, CancellationToken ct)
    {
        if (command.DuplicateOf is { } original && original != command.CaseId && !await lookup.IsVisible(original, user.Actor, ct))
        {
            throw ProblemException.NotFound("case");
        }

        return await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.Reject(command.Reason!, command.DuplicateOf, actor, now), ct);
    }
}
