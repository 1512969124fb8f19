using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Hazards.Api.Features.Cases;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Pipeline;
using Hazards.Domain;
using Hazards.Domain.Cases;
using Hazards.Domain.Inspections;
using Mediator;

namespace Hazards.Api.Features.Inspections;

public sealed record ItemResult(string? Code, bool? Passed, string? Note);

public sealed record FoundHazard(
    string? Title,
    string? Description,
    Sector? Sector,
    HazardLevel? Level,
    string? StandardClause,
    Location? Location,
    bool? FixedOnSpot,
    IReadOnlyList<Guid>? AttachmentIds);

/// <summary>A check that fills its plan's slot for one period; each hazard found becomes a case.</summary>
public sealed record SubmitInspectionCommand(
    Guid? PlanId,
    string? Period,
    IReadOnlyList<string>? Inspectors,
    IReadOnlyList<ItemResult>? Results,
    string? Note,
    IReadOnlyList<FoundHazard>? Hazards) : ICommand<InspectionSubmission>;

public sealed record RecordView(
    Guid Id,
    Guid PlanId,
    Cadence Cadence,
    string Period,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    bool Late,
    IReadOnlyList<string> Inspectors,
    IReadOnlyList<ItemResult> Results,
    string? Note,
    string SubmittedBy,
    DateTimeOffset SubmittedAt,
    IReadOnlyList<Guid> CaseIds);

public sealed record InspectionSubmission(RecordView Record, bool Created);

public sealed class SubmitInspectionValidator : AbstractValidator<SubmitInspectionCommand>
{
    public SubmitInspectionValidator()
    {
        RuleFor(c => c.PlanId).NotNull();
        RuleFor(c => c.Period).MaximumLength(10);
        RuleFor(c => c.Inspectors).NotEmpty().MaxItems(20).WithMessage("Name 1 to 20 inspectors.");
        RuleForEach(c => c.Inspectors).NotEmpty().MaximumLength(100).WithMessage("Name 1 to 20 inspectors.");
        RuleFor(c => c.Results).NotEmpty().MaxItems(ChecklistItemValidator.MaxItems);
        RuleForEach(c => c.Results).NotNull().SetValidator(new ItemResultValidator());
        RuleFor(c => c.Note).MaximumLength(4000);
        RuleFor(c => c.Hazards).MaxItems(50).WithMessage("At most 50 hazards in one record.");
        RuleForEach(c => c.Hazards).NotNull().SetValidator(new FoundHazardValidator());
    }
}

public sealed class ItemResultValidator : AbstractValidator<ItemResult>
{
    public ItemResultValidator()
    {
        RuleFor(x => x.Code).NotEmpty().MaximumLength(32);
        RuleFor(x => x.Passed).NotNull();
        RuleFor(x => x.Note).MaximumLength(1000);
    }
}

/// <summary>A hazard found in an inspection: the same bounds as a hazard reported on its own (ReportCaseValidator).</summary>
public sealed class FoundHazardValidator : AbstractValidator<FoundHazard>
{
    public FoundHazardValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Description).NotEmpty().MaximumLength(4000);
        RuleFor(x => x.Sector).NotNull();
        RuleFor(x => x.Location).SetValidator(new LocationValidator()!);
        RuleFor(x => x.StandardClause).MaximumLength(400);
        RuleFor(x => x.AttachmentIds).MaxItems(20).WithMessage("At most 20 attachments.");
    }
}

public sealed class SubmitInspectionHandler(
    DbSession db, ICurrentUser user, TimeProvider clock, PlanReader plans, CaseReporter reporter, InspectionOptions options)
    : ICommandHandler<SubmitInspectionCommand, InspectionSubmission>
{
    internal static readonly Sql BySlot = Sql.Portable("""
        SELECT id AS Id, plan_id AS PlanId, period_key AS PeriodKey, period_start AS PeriodStart, period_end AS PeriodEnd, late AS Late,
               inspectors AS Inspectors, results AS Results, note AS Note, request_hash AS RequestHash, submitted_by AS SubmittedBy,
               submitted_at AS SubmittedAt
        FROM inspection_records WHERE plan_id = @PlanId AND period_key = @PeriodKey
        """);

    internal static readonly Sql CasesOf = Sql.Portable("SELECT id FROM cases WHERE inspection_record_id = @RecordId ORDER BY code");

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO inspection_records (id, plan_id, period_key, period_start, period_end, inspectors, results, note, request_hash, late, submitted_by, submitted_at)
        VALUES (@Id, @PlanId, @PeriodKey, @PeriodStart, @PeriodEnd, @Inspectors, @Results, @Note, @RequestHash, @Late, @SubmittedBy, @SubmittedAt)
        """);

    public async ValueTask<InspectionSubmission> Handle(SubmitInspectionCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        var (plan, _) = await plans.Load(command.PlanId!.Value, actor, ct);
        var gridPlan = plan.GridCode is not null;
        if (gridPlan ? actor.Role != Role.GridWorker : actor.Role != Role.UnitOfficer)
        {
            throw ProblemException.Forbidden("inspection.record_forbidden",
                gridPlan ? "A grid patrol is recorded by the grid's worker." : "A unit's check is recorded by its safety officer.");
        }

        var now = clock.GetUtcNow();
        var period = SlotPeriod(plan, command.Period, now);
        var hash = Hash(command, period);
        var existing = await db.Single<RecordRow>(BySlot, new { PlanId = plan.Id, PeriodKey = period.Key }, ct);
        if (existing is not null)
        {
            return existing.RequestHash == hash
                ? new InspectionSubmission(await View(existing, plan.Cadence, ct), Created: false)
                : throw new ProblemException(StatusCodes.Status409Conflict, "inspection.slot_filled",
                    $"The {period.Key} slot of this plan already holds another record.");
        }

        CheckResults(plan, command.Results!);
        var id = Guid.CreateVersion7(now);
        var record = new RecordRow
        {
            Id = id,
            PlanId = plan.Id,
            PeriodKey = period.Key,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            Late = now >= period.EndsAt,
            Inspectors = JsonSerializer.Serialize(command.Inspectors!.Select(i => i.Trim()), JsonSerializerOptions.Web),
            Results = JsonSerializer.Serialize(command.Results, JsonSerializerOptions.Web),
            Note = command.Note,
            RequestHash = hash,
            SubmittedBy = actor.Login,
            SubmittedAt = now,
        };
        await db.Execute(Insert, record, ct);
        foreach (var hazard in command.Hazards ?? [])
        {
            await reporter.Report(new ReportCaseCommand(hazard.Title, hazard.Description, hazard.Sector, gridPlan ? Origin.GridPatrol : Origin.SelfCheck,
                plan.GridCode, plan.UnitId, hazard.Location, hazard.Level, hazard.StandardClause, hazard.FixedOnSpot, hazard.AttachmentIds), actor, id, ct);
        }

        return new InspectionSubmission(await View(record, plan.Cadence, ct), Created: true);
    }

    /// <summary>The period named (or the current one), open now or closed less than the grace ago, within the plan's dates.</summary>
    private Period SlotPeriod(PlanView plan, string? key, DateTimeOffset now)
    {
        var period = key is null ? Period.ContainingInstant(plan.Cadence, now)
            : Period.TryParse(plan.Cadence, key, out var parsed) ? parsed
            : throw ProblemException.BadRequest("inspection.period_invalid", $"'{key}' is not a {Wire.Name(plan.Cadence)} period (e.g. 2026-03-02, 2026-W10, 2026-03).");
        if (period.StartsAt > now)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "inspection.period_not_started", $"The {period.Key} period has not started.");
        }

        // Closed at the instant the grace runs out, the same instant the sweep counts the slot missed (Period.EndedBetween).
        if (now >= period.EndsAt + options.Grace)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "inspection.period_closed", $"The {period.Key} period closed more than the grace ago.");
        }

        if (!PlanSlots.Owes(period, plan.ActiveFrom, plan.ActiveTo))
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "inspection.period_outside_plan", $"The plan owes no {period.Key} slot.");
        }

        return period;
    }

    private static void CheckResults(PlanView plan, IReadOnlyList<ItemResult> results)
    {
        var expected = plan.Checklist.Select(i => i.Code!).Order(StringComparer.Ordinal);
        var given = results.Select(r => r.Code!).Order(StringComparer.Ordinal);
        if (!expected.SequenceEqual(given))
        {
            throw ProblemException.BadRequest("inspection.results_mismatch", "Give exactly one result for each checklist item of the plan.");
        }
    }

    private static string Hash(SubmitInspectionCommand command, Period period) => Convert.ToHexStringLower(SHA256.HashData(
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(command with { Period = period.Key }, JsonSerializerOptions.Web))));

    private async Task<RecordView> View(RecordRow row, Cadence cadence, CancellationToken ct) => new(
        row.Id, row.PlanId, cadence, row.PeriodKey, row.PeriodStart, row.PeriodEnd, row.Late,
        JsonSerializer.Deserialize<List<string>>(row.Inspectors, JsonSerializerOptions.Web) ?? [],
        JsonSerializer.Deserialize<List<ItemResult>>(row.Results, JsonSerializerOptions.Web) ?? [],
        row.Note, row.SubmittedBy, row.SubmittedAt, await db.Query<Guid>(CasesOf, new { RecordId = row.Id }, ct));

    private sealed class RecordRow
    {
        public Guid Id { get; set; }
        public Guid PlanId { get; set; }
        public string PeriodKey { get; set; } = "";
        public DateOnly PeriodStart { get; set; }
        public DateOnly PeriodEnd { get; set; }
        public bool Late { get; set; }
        public string Inspectors { get; set; } = "[]";
        public string Results { get; set; } = "[]";
        public string? Note { get; set; }
        public string RequestHash { get; set; } = "";
        public string SubmittedBy { get; set; } = "";
        public DateTimeOffset SubmittedAt { get; set; }
    }
}
