using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>Where a case sits and what the domain does not need: its scope path, district and location.</summary>
public sealed record CasePlace(
    string OrgPath, string DistrictCode, double? Latitude, double? Longitude, string? Address, Guid? InspectionRecordId = null);

/// <summary>One row of <c>cases</c> as Dapper reads it; enums and flags in their stored form.</summary>
public class CaseRow
{
    public const string Columns = """
        c.id AS Id, c.code AS Code, c.status AS Status, c.level AS Level, c.sector AS Sector, c.origin AS Origin,
        c.title AS Title, c.description AS Description, c.standard_clause AS StandardClause,
        c.unit_id AS UnitId, c.grid_code AS GridCode, c.responsible_unit_id AS ResponsibleUnitId,
        c.org_path AS OrgPath, c.district_code AS DistrictCode, c.latitude AS Latitude, c.longitude AS Longitude, c.address AS Address,
        c.reported_by AS ReportedBy, c.reported_by_role AS ReportedByRole, c.reported_at AS ReportedAt, c.triage_deadline AS TriageDeadline,
        c.assigned_by AS AssignedBy, c.assigned_by_role AS AssignedByRole, c.assigned_at AS AssignedAt, c.deadline AS Deadline,
        c.plan_goals AS PlanGoals, c.plan_measures AS PlanMeasures, c.plan_funds AS PlanFunds, c.plan_people AS PlanPeople,
        c.plan_time_limit AS PlanTimeLimit, c.plan_safety_measures AS PlanSafetyMeasures, c.plan_approved AS PlanApproved,
        c.extension_until AS ExtensionUntil, c.extension_reason AS ExtensionReason, c.extension_requested_by AS ExtensionRequestedBy,
        c.extension_requested_at AS ExtensionRequestedAt, c.extension_count AS ExtensionCount,
        c.fix_submitted_by AS FixSubmittedBy, c.fix_submitted_at AS FixSubmittedAt, c.verification_deadline AS VerificationDeadline,
        c.closed_at AS ClosedAt, c.closed_by AS ClosedBy, c.fixed_on_spot AS FixedOnSpot, c.self_reported AS SelfReported,
        c.penalty AS Penalty, c.rework_count AS ReworkCount, c.listed AS Listed, c.fake_rectification AS FakeRectification,
        c.escalation_step AS EscalationStep, c.reject_reason AS RejectReason, c.duplicate_of AS DuplicateOf, c.version AS Version,
        c.inspection_record_id AS InspectionRecordId, c.listed_level AS ListedLevel, c.listing_deadline AS ListingDeadline
        """;

    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Status { get; set; } = "";
    public string Level { get; set; } = "";
    public string Sector { get; set; } = "";
    public string Origin { get; set; } = "";
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string? StandardClause { get; set; }
    public Guid? UnitId { get; set; }
    public string? GridCode { get; set; }
    public Guid? ResponsibleUnitId { get; set; }
    public string OrgPath { get; set; } = "";
    public string DistrictCode { get; set; } = "";
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? Address { get; set; }
    public string ReportedBy { get; set; } = "";
    public string ReportedByRole { get; set; } = "";
    public DateTimeOffset ReportedAt { get; set; }
    public DateTimeOffset? TriageDeadline { get; set; }
    public string? AssignedBy { get; set; }
    public string? AssignedByRole { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    public DateTimeOffset? Deadline { get; set; }
    public string? PlanGoals { get; set; }
    public string? PlanMeasures { get; set; }
    public string? PlanFunds { get; set; }
    public string? PlanPeople { get; set; }
    public DateOnly? PlanTimeLimit { get; set; }
    public string? PlanSafetyMeasures { get; set; }
    public bool PlanApproved { get; set; }
    public DateOnly? ExtensionUntil { get; set; }
    public string? ExtensionReason { get; set; }
    public string? ExtensionRequestedBy { get; set; }
    public DateTimeOffset? ExtensionRequestedAt { get; set; }
    public int ExtensionCount { get; set; }
    public string? FixSubmittedBy { get; set; }
    public DateTimeOffset? FixSubmittedAt { get; set; }
    public DateTimeOffset? VerificationDeadline { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public bool FixedOnSpot { get; set; }
    public bool SelfReported { get; set; }
    public string Penalty { get; set; } = "";
    public int ReworkCount { get; set; }
    public bool Listed { get; set; }
    public bool FakeRectification { get; set; }
    public int EscalationStep { get; set; }
    public string? RejectReason { get; set; }
    public Guid? DuplicateOf { get; set; }
    public int Version { get; set; }
    public Guid? InspectionRecordId { get; set; }
    public string? ListedLevel { get; set; }
    public DateOnly? ListingDeadline { get; set; }

    public CasePlace Place => new(OrgPath, DistrictCode, Latitude, Longitude, Address, InspectionRecordId);

    public HazardCase ToCase() => HazardCase.Restore(new HazardCaseState
    {
        Id = Id,
        Code = Code,
        Status = Wire.Parse<CaseStatus>(Status),
        Level = Wire.Parse<HazardLevel>(Level),
        Sector = Wire.Parse<Sector>(Sector),
        Origin = Wire.Parse<Origin>(Origin),
        Title = Title,
        Description = Description,
        StandardClause = StandardClause,
        UnitId = UnitId,
        GridCode = GridCode,
        ResponsibleUnitId = ResponsibleUnitId,
        ReportedBy = ReportedBy,
        ReportedByRole = Wire.Parse<Role>(ReportedByRole),
        ReportedAt = ReportedAt,
        TriageDeadline = TriageDeadline,
        AssignedBy = AssignedBy,
        AssignedByRole = AssignedByRole is null ? null : Wire.Parse<Role>(AssignedByRole),
        AssignedAt = AssignedAt,
        Deadline = Deadline,
        Plan = PlanGoals is null
            ? null
            : new RectificationPlan(PlanGoals, PlanMeasures ?? "", PlanFunds ?? "", PlanPeople ?? "", PlanTimeLimit!.Value, PlanSafetyMeasures ?? ""),
        PlanApproved = PlanApproved,
        PendingExtension = ExtensionUntil is null
            ? null
            : new ExtensionRequest(ExtensionUntil.Value, ExtensionReason ?? "", ExtensionRequestedBy ?? "", ExtensionRequestedAt!.Value),
        ExtensionCount = ExtensionCount,
        FixSubmittedBy = FixSubmittedBy,
        FixSubmittedAt = FixSubmittedAt,
        VerificationDeadline = VerificationDeadline,
        ClosedAt = ClosedAt,
        ClosedBy = ClosedBy,
        FixedOnSpot = FixedOnSpot,
        SelfReported = SelfReported,
        Penalty = Wire.Parse<Penalty>(Penalty),
        ReworkCount = ReworkCount,
        Listed = Listed,
        ListedLevel = ListedLevel is null ? null : Wire.Parse<ListingLevel>(ListedLevel),
        ListingDeadline = ListingDeadline,
        FakeRectification = FakeRectification,
        EscalationStep = EscalationStep,
        RejectReason = RejectReason,
        DuplicateOf = DuplicateOf,
        Version = Version,
    });

    /// <summary>The parameters of an insert or update: every column, in the stored form.</summary>
    public static object Parameters(HazardCase hazard, CasePlace place, DateTimeOffset now)
    {
        var s = hazard.ToState();
        return new
        {
            s.Id,
            s.Code,
            Status = Wire.Name(s.Status),
            Level = Wire.Name(s.Level),
            Sector = Wire.Name(s.Sector),
            Origin = Wire.Name(s.Origin),
            s.Title,
            s.Description,
            s.StandardClause,
            s.UnitId,
            s.GridCode,
            s.ResponsibleUnitId,
            place.OrgPath,
            place.DistrictCode,
            place.Latitude,
            place.Longitude,
            place.Address,
            place.InspectionRecordId,
            s.ReportedBy,
            ReportedByRole = Wire.Name(s.ReportedByRole),
            s.ReportedAt,
            s.TriageDeadline,
            s.AssignedBy,
            AssignedByRole = Wire.NameOrNull(s.AssignedByRole),
            s.AssignedAt,
            s.Deadline,
            PlanGoals = s.Plan?.Goals,
            PlanMeasures = s.Plan?.Measures,
            PlanFunds = s.Plan?.Funds,
            PlanPeople = s.Plan?.People,
            PlanTimeLimit = s.Plan?.TimeLimit,
            PlanSafetyMeasures = s.Plan?.SafetyMeasures,
            s.PlanApproved,
            ExtensionUntil = s.PendingExtension?.Until,
            ExtensionReason = s.PendingExtension?.Reason,
            ExtensionRequestedBy = s.PendingExtension?.RequestedBy,
            ExtensionRequestedAt = s.PendingExtension?.RequestedAt,
            s.ExtensionCount,
            s.FixSubmittedBy,
            s.FixSubmittedAt,
            s.VerificationDeadline,
            s.ClosedAt,
            s.ClosedBy,
            s.FixedOnSpot,
            s.SelfReported,
            Penalty = Wire.Name(s.Penalty),
            s.ReworkCount,
            s.Listed,
            ListedLevel = Wire.NameOrNull(s.ListedLevel),
            s.ListingDeadline,
            s.FakeRectification,
            s.EscalationStep,
            s.RejectReason,
            s.DuplicateOf,
            s.Version,
            UpdatedAt = now,
        };
    }
}
