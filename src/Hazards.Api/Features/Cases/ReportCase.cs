using FluentValidation;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
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
        RuleFor(c => c.GridCode).NotEmpty().When(c => c.UnitId is null).WithMessage("Name the grid or the unit where the hazard is.");
        RuleFor(c => c.Location!.Latitude).InclusiveBetween(-90, 90).When(c => c.Location?.Latitude is not null);
        RuleFor(c => c.Location!.Longitude).InclusiveBetween(-180, 180).When(c => c.Location?.Longitude is not null);
        RuleFor(c => c.Location!.Address).MaximumLength(400).When(c => c.Location is not null);
        RuleFor(c => c.StandardClause).MaximumLength(400);
        RuleFor(c => c.AttachmentIds).Must(ids => ids is null || ids.Count <= 20).WithMessage("At most 20 attachments.");
    }
}

public sealed class ReportCaseHandler(DbSession db, CaseStore store, CaseViews views, UnitScope units, ICurrentUser user, TimeProvider clock, DeadlineCalculator deadlines)
    : ICommandHandler<ReportCaseCommand, CaseView>
{
    internal static readonly Sql GridPath = Sql.Portable("SELECT path FROM org_units WHERE code = @Code AND level = 'grid'");

    public async ValueTask<CaseView> Handle(ReportCaseCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        CheckOrigin(actor.Role, command.Origin!.Value);
        var (gridCode, orgPath) = await Place(command, actor, ct);
        var now = clock.GetUtcNow();
        var districtCode = orgPath.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        var code = await store.NextCode(districtCode, now, ct);
        var input = new NewHazard(Guid.CreateVersion7(now), code, command.Title!.Trim(), command.Description!.Trim(), command.Sector!.Value,
            command.Origin.Value, command.UnitId, gridCode, command.Level ?? HazardLevel.General, command.StandardClause,
            command.FixedOnSpot ?? false, command.AttachmentIds ?? []);
        var (hazard, change) = HazardCase.Report(input, new CaseActor(actor.Login, actor.Role), now, deadlines);
        var place = new CasePlace(orgPath, districtCode, command.Location?.Latitude, command.Location?.Longitude, command.Location?.Address);
        await store.Add(hazard, place, change, actor.Login, ct);
        return await views.Full(hazard, place, ct);
    }

    private async Task<(string GridCode, string OrgPath)> Place(ReportCaseCommand command, Actor actor, CancellationToken ct)
    {
        if (command.UnitId is { } unitId)
        {
            var unit = await units.Find(unitId, actor, ct) ?? throw ProblemException.NotFound("unit");
            if (command.GridCode is not null && command.GridCode != unit.GridCode)
            {
                throw ProblemException.BadRequest("case.grid_mismatch", "The unit is not in the grid named.");
            }

            return (unit.GridCode, unit.OrgPath);
        }

        if (actor.Role == Role.UnitOfficer)
        {
            throw ProblemException.BadRequest("case.unit_required", "A unit officer reports hazards of their own unit: name it.");
        }

        var path = await db.Single<string>(GridPath, new { Code = command.GridCode }, ct);
        return path is not null && actor.CoversPath(path) ? (command.GridCode!, path) : throw ProblemException.NotFound("grid");
    }

    /// <summary>Who may say how a hazard was found: self-checks are a unit's own, patrols a grid's, inspections a regulator's.</summary>
    private static void CheckOrigin(Role role, Origin origin)
    {
        var allowed = origin switch
        {
            Origin.SelfCheck => role == Role.UnitOfficer,
            Origin.GridPatrol => role is Role.GridWorker or Role.TownshipOfficer,
            Origin.SensorAlert => true,
            Origin.RegulatorInspection or Origin.SpotCheck or Origin.HandedDown => role >= Role.TownshipOfficer,
            _ => false,
        };
        if (!allowed)
        {
            throw ProblemException.BadRequest("case.origin_not_allowed",
                origin == Origin.PublicTip
                    ? "Public tips come in through the public tip route."
                    : $"A {Wire.Name(role)} cannot report a hazard with origin {Wire.Name(origin)}.");
        }
    }
}
