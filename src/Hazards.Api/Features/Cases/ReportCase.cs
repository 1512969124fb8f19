using FluentValidation;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Mediator;

namespace Hazards.Api.Features.Cases;

/// <summary>上报: a hazard found on patrol, in a unit's own check or by a regulator; or fixed on the spot (立查立改).</summary>
public sealed record ReportCaseCommand(
    string? Title,
    string? Description,
    Sector? Sector,
    Origin? Origin,
    string? GridCode,
    Guid? UnitId,
    Location? Location,
    HazardLevel? Level,
    string? StandardClause,
    bool? FixedOnSpot,
    IReadOnlyList<Guid>? AttachmentIds) : ICommand<CaseView>;

public sealed class ReportCaseValidator : AbstractValidator<ReportCaseCommand>
{
    public ReportCaseValidator()
    {
        RuleFor(c => c.Title).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Description).NotEmpty().MaximumLength(4000);
        RuleFor(c => c.Sector).NotNull();
        RuleFor(c => c.Origin).NotNull();
        RuleFor(c => c.GridCode).Matches("^[0-9]{15}$").When(c => c.GridCode is not null).WithMessage("A grid code has 15 digits.");
        RuleFor(c => c.GridCode).NotEmpty().When(c => c.UnitId is null && c.Location is not { Latitude: not null, Longitude: not null })
            .WithMessage("Name the grid or the unit where the hazard is, or give its position.");
        RuleFor(c => c.Location).SetValidator(new LocationValidator()!);
        RuleFor(c => c.StandardClause).MaximumLength(400);
        RuleFor(c => c.AttachmentIds).MaxItems(20).WithMessage("At most 20 attachments.");
    }
}

public sealed class ReportCaseHandler(CaseReporter reporter, NearbyCases nearby, ICurrentUser user) : ICommandHandler<ReportCaseCommand, CaseView>
{
    public async ValueTask<CaseView> Handle(ReportCaseCommand command, CancellationToken ct)
    {
        var reported = await reporter.Report(command, user.Actor, inspectionRecordId: null, ct);
        return reported with { PossibleDuplicates = await nearby.Of(reported, user.Actor, ct) };
    }
}
