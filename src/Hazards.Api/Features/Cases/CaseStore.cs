using System.Globalization;
using System.Text.Json;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>
/// The case aggregate's SQL: load within the caller's scope, insert, and save a change together with its
/// history row, with the version check in the UPDATE itself.
/// </summary>
public sealed class CaseStore(DbSession db, CaseHistory history)
{
    internal static readonly Sql ById = Sql.Portable($"SELECT {CaseRow.Columns} FROM cases c WHERE c.id = @Id");

    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO cases (id, code, status, level, sector, origin, title, description, standard_clause, unit_id, grid_code,
            responsible_unit_id, org_path, district_code, latitude, longitude, address, reported_by, reported_by_role, reported_at,
            triage_deadline, assigned_by, assigned_by_role, assigned_at, deadline, plan_goals, plan_measures, plan_funds, plan_people,
            plan_time_limit, plan_safety_measures, plan_approved, extension_until, extension_reason, extension_requested_by,
            extension_requested_at, extension_count, fix_submitted_by, fix_submitted_at, verification_deadline, closed_at, closed_by,
            fixed_on_spot, self_reported, penalty, rework_count, listed, fake_rectification, escalation_step, reject_reason,
            duplicate_of, version, updated_at, inspection_record_id)
        VALUES (@Id, @Code, @Status, @Level, @Sector, @Origin, @Title, @Description, @StandardClause, @UnitId, @GridCode,
            @ResponsibleUnitId, @OrgPath, @DistrictCode, @Latitude, @Longitude, @Address, @ReportedBy, @ReportedByRole, @ReportedAt,
            @TriageDeadline, @AssignedBy, @AssignedByRole, @AssignedAt, @Deadline, @PlanGoals, @PlanMeasures, @PlanFunds, @PlanPeople,
            @PlanTimeLimit, @PlanSafetyMeasures, @PlanApproved, @ExtensionUntil, @ExtensionReason, @ExtensionRequestedBy,
            @ExtensionRequestedAt, @ExtensionCount, @FixSubmittedBy, @FixSubmittedAt, @VerificationDeadline, @ClosedAt, @ClosedBy,
            @FixedOnSpot, @SelfReported, @Penalty, @ReworkCount, @Listed, @FakeRectification, @EscalationStep, @RejectReason,
            @DuplicateOf, @Version, @UpdatedAt, @InspectionRecordId)
        """);

    internal static readonly Sql Update = Sql.Portable("""
        UPDATE cases SET status = @Status, level = @Level, standard_clause = @StandardClause, responsible_unit_id = @ResponsibleUnitId,
            triage_deadline = @TriageDeadline, assigned_by = @AssignedBy, assigned_by_role = @AssignedByRole, assigned_at = @AssignedAt,
            deadline = @Deadline, plan_goals = @PlanGoals, plan_measures = @PlanMeasures, plan_funds = @PlanFunds,
            plan_people = @PlanPeople, plan_time_limit = @PlanTimeLimit, plan_safety_measures = @PlanSafetyMeasures,
            plan_approved = @PlanApproved, extension_until = @ExtensionUntil, extension_reason = @ExtensionReason,
            extension_requested_by = @ExtensionRequestedBy, extension_requested_at = @ExtensionRequestedAt,
            extension_count = @ExtensionCount, fix_submitted_by = @FixSubmittedBy, fix_submitted_at = @FixSubmittedAt,
            verification_deadline = @VerificationDeadline, closed_at = @ClosedAt, closed_by = @ClosedBy, penalty = @Penalty,
            rework_count = @ReworkCount, listed = @Listed, listed_level = @ListedLevel,
            listing_deadline = @ListingDeadline, fake_rectification = @FakeRectification, escalation_step = @EscalationStep,
            reject_reason = @RejectReason, duplicate_of = @DuplicateOf, version = version + 1, updated_at = @UpdatedAt
        WHERE id = @Id AND version = @Version
        """);

    internal static readonly Sql NextCodeValue = new(
        """
        INSERT INTO case_code_sequences (district_code, year, last_value) VALUES (@DistrictCode, @Year, 1)
        ON CONFLICT (district_code, year) DO UPDATE SET last_value = last_value + 1
        RETURNING last_value
        """,
        """
        MERGE case_code_sequences WITH (HOLDLOCK) AS t
        USING (SELECT @DistrictCode AS district_code, @Year AS year) AS s
        ON t.district_code = s.district_code AND t.year = s.year
        WHEN MATCHED THEN UPDATE SET last_value = t.last_value + 1
        WHEN NOT MATCHED THEN INSERT (district_code, year, last_value) VALUES (s.district_code, s.year, 1)
        OUTPUT inserted.last_value;
        """);

    internal static readonly Sql BindEvidence = Sql.Portable("""
        UPDATE attachments SET case_id = @CaseId WHERE id = @Id AND (case_id = @CaseId OR (case_id IS NULL AND uploaded_by = @Login))
        """);

    /// <summary>The case if it exists and the actor's scope covers it; otherwise 404, so ids cannot be probed.</summary>
    public async Task<(HazardCase Case, CasePlace Place)> Load(Guid id, Actor actor, CancellationToken ct)
    {
        var row = await db.Single<CaseRow>(ById, new { Id = id }, ct);
        if (row is null || !CaseScope.Covers(actor, row.OrgPath, row.UnitId, row.ResponsibleUnitId))
        {
            throw ProblemException.NotFound("case");
        }

        return (row.ToCase(), row.Place);
    }

    /// <summary>The next code of a district and year (YH-500103-2026-000123); rolled back with the report if it fails.</summary>
    public async Task<string> NextCode(string districtCode, DateTimeOffset reportedAt, CancellationToken ct)
    {
        var year = ChinaTime.LocalDate(reportedAt).Year;
        var value = await db.Scalar<int>(NextCodeValue, new { DistrictCode = districtCode, Year = year }, ct);
        return string.Create(CultureInfo.InvariantCulture, $"YH-{districtCode}-{year}-{value:000000}");
    }

    public async Task Add(HazardCase hazard, CasePlace place, CaseEvent change, string actorLogin, CancellationToken ct)
    {
        await db.Execute(Insert, CaseRow.Parameters(hazard, place, change.At), ct);
        await Bind(hazard.Id, change.EvidenceIds, actorLogin, ct);
        await Append(hazard.Id, change, ct);
    }

    /// <summary>Writes a change if nobody else changed the case since <paramref name="expectedVersion"/>; else 412.</summary>
    public async Task Save(HazardCase hazard, CasePlace place, CaseEvent change, int expectedVersion, CancellationToken ct)
    {
        var parameters = new Dapper.DynamicParameters(CaseRow.Parameters(hazard, place, change.At));
        parameters.Add("Version", expectedVersion);
        if (await db.Execute(Update, parameters, ct) == 0)
        {
            throw ProblemException.StaleVersion();
        }

        await Bind(hazard.Id, change.EvidenceIds, change.Login, ct);
        await Append(hazard.Id, change, ct);
    }

    private async Task Bind(Guid caseId, IReadOnlyList<Guid> evidence, string login, CancellationToken ct)
    {
        foreach (var id in evidence.Distinct())
        {
            if (await db.Execute(BindEvidence, new { CaseId = caseId, Id = id, Login = login }, ct) == 0)
            {
                throw ProblemException.BadRequest("case.evidence_invalid",
                    $"Attachment {id} does not exist, belongs to another case, or was uploaded by someone else.");
            }
        }
    }

    private Task Append(Guid caseId, CaseEvent change, CancellationToken ct) =>
        history.Append(caseId, Wire.Name(change.Action), Wire.NameOrNull(change.From), Wire.Name(change.To), change.Login, Wire.Name(change.Role),
            change.At, change.Reason, JsonSerializer.Serialize(change.EvidenceIds), JsonSerializer.Serialize(change.Details), ct);
}
