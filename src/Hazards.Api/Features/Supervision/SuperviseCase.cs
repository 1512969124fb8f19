using FluentValidation;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Supervision;

/// <summary>挂牌督办 by hand, besides the ladder's own listing: a level, a reason and a deadline (a local day).</summary>
public sealed record ListCaseCommand(
    ListingLevel? Level,
    string? Reason,
    DateOnly? Deadline,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class ListCaseValidator : AbstractValidator<ListCaseCommand>
{
    public ListCaseValidator()
    {
        RuleFor(c => c.Level).NotNull();
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
        RuleFor(c => c.Deadline).NotNull().WithinRange();
    }
}

public sealed class ListCaseHandler(CaseChanges changes) : ICommandHandler<ListCaseCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(ListCaseCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) =>
            hazard.List(command.Level!.Value, command.Reason, command.Deadline!.Value, actor, now), ct);
}

/// <summary>摘牌 before close-out, with a reason; closing the case de-lists it by itself.</summary>
public sealed record DelistCaseCommand(
    string? Reason,
    Guid CaseId = default,
    int Version = 0) : CaseActionCommand(CaseId, Version), ICommand<CaseView>;

public sealed class DelistCaseValidator : AbstractValidator<DelistCaseCommand>
{
    public DelistCaseValidator()
    {
        RuleFor(c => c.Reason).NotEmpty().MaximumLength(2000);
    }
}

public sealed class DelistCaseHandler(CaseChanges changes) : ICommandHandler<DelistCaseCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(DelistCaseCommand command, CancellationToken ct) =>
        await changes.Apply(command.CaseId, command.Version, (hazard, actor, now) => hazard.Delist(command.Reason, actor, now), ct);
}
