using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Domain.Cases;

public sealed partial class HazardCase
{
    public static (HazardCase Case, CaseEvent Event) Report(
        NewHazard input, CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines)
    {
        var action = input.FixedOnSpot ? CaseAction.ReportFixedOnSpot : CaseAction.Report;
        var row = Lifecycle.Check(null, action, actor.Role);
        if (input.FixedOnSpot)
        {
            Require(input.Level == HazardLevel.General, "case.fixed_on_spot_general_only",
                "Only a general hazard can be fixed on the spot (立查立改).");
            Require(input.EvidenceIds.Count > 0, "case.evidence_required", "A fix on the spot needs evidence.");
        }
        else if (input.Level == HazardLevel.Major)
        {
            RequireDistrictForMajor(actor);
            RequireClause(input.StandardClause);
        }

        var hazard = new HazardCase
        {
            Id = input.Id,
            Code = input.Code,
            Status = row.To,
            Level = input.Level,
            Sector = input.Sector,
            Origin = input.Origin,
            Title = input.Title,
            Description = input.Description,
            StandardClause = input.StandardClause,
            UnitId = input.UnitId,
            GridCode = input.GridCode,
            ReportedBy = actor.Login,
            ReportedByRole = actor.Role,
            ReportedAt = now,
            FixedOnSpot = input.FixedOnSpot,
            SelfReported = input.Origin == Origin.SelfCheck && actor.Role == Role.UnitOfficer,
            Penalty = input.Origin is Origin.RegulatorInspection or Origin.SpotCheck or Origin.PublicTip
                ? Penalty.Aggravated
                : Penalty.None,
            Version = 1,
        };
        if (input.FixedOnSpot)
        {
            // Fixed on the spot, the fix was its own deadline: met now, and already past if a verifier sends it back.
            hazard.ResponsibleUnitId = input.UnitId;
            hazard.Deadline = now;
            hazard.FixSubmittedBy = actor.Login;
            hazard.FixSubmittedAt = now;
            hazard.VerificationDeadline = deadlines.Verification(now, major: false);
        }
        else
        {
            hazard.TriageDeadline = deadlines.Triage(now);
        }

        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["level"] = LevelName(input.Level) };
        return (hazard, hazard.Record(action, null, actor, now, evidenceIds: input.EvidenceIds, details: details));
    }

    public CaseEvent Assign(
        HazardLevel? level,
        string? standardClause,
        Guid? responsibleUnitId,
        DateTimeOffset? deadline,
        CaseActor actor,
        DateTimeOffset now,
        DeadlineCalculator deadlines)
    {
        var row = Lifecycle.Check(Status, CaseAction.Assign, actor.Role);
        var newLevel = level ?? Level;
        var clause = string.IsNullOrWhiteSpace(standardClause) ? StandardClause : standardClause;
        // Keeping a major level set by a district is triage; setting or lifting it is the district's call.
        if (level == HazardLevel.Major || (Level == HazardLevel.Major && newLevel == HazardLevel.General))
        {
            RequireDistrictForMajor(actor);
        }

        if (newLevel == HazardLevel.Major)
        {
            RequireClause(clause);
        }

        var due = FixDeadline(newLevel, deadline, now, deadlines);
        var from = Status;
        Status = row.To;
        Level = newLevel;
        StandardClause = clause;
        ResponsibleUnitId = responsibleUnitId ?? UnitId;
        Deadline = due;
        AssignedBy = actor.Login;
        AssignedByRole = actor.Role;
        AssignedAt = now;

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["level"] = LevelName(newLevel),
            ["deadline"] = Instant(due),
        };
        if (ResponsibleUnitId is { } unit)
        {
            details["responsibleUnitId"] = unit.ToString();
        }

        return Record(CaseAction.Assign, from, actor, now, details: details);
    }

    public CaseEvent Reject(string reason, Guid? duplicateOf, CaseActor actor, DateTimeOffset now)
    {
        var row = Lifecycle.Check(Status, CaseAction.Reject, actor.Role);
        RequireReason(reason, CaseAction.Reject);
        Require(duplicateOf != Id, "case.duplicate_of_self", "A case cannot be a duplicate of itself.");

        var from = Status;
        Status = row.To;
        RejectReason = reason;
        DuplicateOf = duplicateOf;

        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (duplicateOf is { } original)
        {
            details["duplicateOf"] = original.ToString();
        }

        return Record(CaseAction.Reject, from, actor, now, reason, details: details);
    }

    private static void RequireDistrictForMajor(CaseActor actor) =>
        RequireRole(actor.Role >= Role.DistrictRegulator, "case.major_requires_district",
            "Only a district regulator or above may set or lift the major level.");

    private static void RequireClause(string? clause) =>
        Require(!string.IsNullOrWhiteSpace(clause), "case.major_requires_clause",
            "A major hazard must cite the standard clause that makes it major.");

    private DateTimeOffset FixDeadline(
        HazardLevel level, DateTimeOffset? explicitDeadline, DateTimeOffset now, DeadlineCalculator deadlines)
    {
        var limit = level == HazardLevel.Major
            ? ChinaTime.EndOfDay(ChinaTime.LocalDate(now).AddDays(MajorMaxCalendarDays))
            : deadlines.GeneralFix(now, SectorName(Sector));
        if (explicitDeadline is not { } chosen)
        {
            return limit;
        }

        Require(chosen > now, "case.deadline_in_past", "The deadline must be after now.");
        Require(chosen <= limit, "case.deadline_beyond_policy",
            $"The deadline may not be later than the policy's {Instant(limit)}.");
        return chosen.ToUniversalTime();
    }
}
