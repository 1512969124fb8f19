using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Hazards.Api.Features.OrgUnits;
using Hazards.Api.Features.Units;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;
using Mediator;

namespace Hazards.Api.Features.Inspections;

/// <summary>An inspection plan of a unit (daily team, weekly workshop, monthly enterprise/principal) or a grid's patrol.</summary>
public sealed record CreatePlanCommand(
    string? Name,
    Cadence? Cadence,
    InspectionLevel? Level,
    IReadOnlyList<ChecklistItem>? Checklist,
    DateOnly? ActiveFrom,
    DateOnly? ActiveTo,
    [property: JsonIgnore] Guid? UnitId = null,
    [property: JsonIgnore] string? GridCode = null) : ICommand<PlanView>;

public sealed class CreatePlanValidator : AbstractValidator<CreatePlanCommand>
{
    public CreatePlanValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        RuleFor(c => c.Cadence).NotNull();
        RuleFor(c => c.Level).NotNull();
        RuleFor(c => c.Level).Must(l => l == InspectionLevel.GridPatrol).When(c => c.GridCode is not null && c.Level is not null)
            .WithMessage("A grid's plan is a grid patrol.");
        RuleFor(c => c.Level).Must(l => l != InspectionLevel.GridPatrol).When(c => c.UnitId is not null && c.Level is not null)
            .WithMessage("A unit's plan is a team, workshop, enterprise or principal check.");
        RuleFor(c => c.Checklist).NotEmpty().MaxItems(ChecklistItemValidator.MaxItems).WithMessage("A checklist has 1 to 100 items.");
        RuleFor(c => c.Checklist).Must(items => items is null || items.Select(i => i?.Code).Distinct().Count() == items.Count)
            .WithMessage("Checklist codes must be unique.");
        RuleForEach(c => c.Checklist).NotNull().SetValidator(new ChecklistItemValidator());
        RuleFor(c => c.ActiveTo).GreaterThanOrEqualTo(c => c.ActiveFrom).When(c => c.ActiveFrom is not null && c.ActiveTo is not null);
        RuleFor(c => c.ActiveFrom).WithinRange();
        RuleFor(c => c.ActiveTo).WithinRange();
    }
}

public sealed class CreatePlanHandler(DbSession db, ICurrentUser user, TimeProvider clock, UnitScope units, PlanReader plans, LiveOrgUnits live)
    : ICommandHandler<CreatePlanCommand, PlanView>
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO inspection_plans (id, name, unit_id, grid_code, org_path, cadence, level, checklist, active_from, active_to, created_at, created_by)
        VALUES (@Id, @Name, @UnitId, @GridCode, @OrgPath, @Cadence, @Level, @Checklist, @ActiveFrom, @ActiveTo, @CreatedAt, @CreatedBy)
        """);

    public async ValueTask<PlanView> Handle(CreatePlanCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var orgPath = await OwnerPath(command, actor, ct);
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(now);
        var from = command.ActiveFrom ?? today;
        var earliest = PlanSlots.EarliestStart(command.Cadence!.Value, today);
        if (from < earliest)
        {
            throw ProblemException.BadRequest("inspection.active_from_past",
                $"A plan starts in its current period or later, on {earliest:yyyy-MM-dd} at the earliest: closed periods cannot be owed.");
        }

        if (command.ActiveTo < from)
        {
            throw ProblemException.BadRequest("inspection.active_to_before_from", $"A plan ends on or after the day it starts, {from:yyyy-MM-dd}.");
        }

        var id = Guid.CreateVersion7(now);
        await db.Execute(Insert, new
        {
            Id = id,
            Name = command.Name!.Trim(),
            command.UnitId,
            command.GridCode,
            OrgPath = orgPath,
            Cadence = Wire.Name(command.Cadence!.Value),
            Level = Wire.Name(command.Level!.Value),
            Checklist = JsonSerializer.Serialize(command.Checklist, JsonSerializerOptions.Web),
            ActiveFrom = from,
            command.ActiveTo,
            CreatedAt = now,
            CreatedBy = actor.Login,
        }, ct);
        return (await plans.Load(id, actor, ct)).Plan;
    }

    /// <summary>A unit's officer or a supervisor over it plans a unit's checks; a grid's worker or a supervisor over it plans its patrol.</summary>
    private async Task<string> OwnerPath(CreatePlanCommand command, Actor actor, CancellationToken ct)
    {
        if (command.UnitId is { } unitId)
        {
            var unit = await units.Find(unitId, actor, ct) ?? throw ProblemException.NotFound("unit");
            if (actor.Role == Role.GridWorker)
            {
                throw ProblemException.Forbidden("inspection.plan_forbidden", "A unit's checks are planned by its officer or a supervisor.");
            }

            return unit.OrgPath;
        }

        var grid = actor.Role == Role.UnitOfficer ? null : await live.Live(command.GridCode!, OrgLevel.Grid, actor.CoversPath, ct);
        if (grid is null || !actor.CoversPath(grid.Path))
        {
            throw ProblemException.NotFound("grid");
        }

        return grid.Path;
    }
}

public sealed class ChecklistItemValidator : AbstractValidator<ChecklistItem>
{
    /// <summary>A checklist's items, and so the results one inspection can report.</summary>
    public const int MaxItems = 100;

    public ChecklistItemValidator()
    {
        RuleFor(i => i.Code).NotEmpty().MaximumLength(32);
        RuleFor(i => i.Text).NotEmpty().MaximumLength(400);
    }
}
