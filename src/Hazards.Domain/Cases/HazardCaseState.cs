namespace Hazards.Domain.Cases;

/// <summary>
/// Every stored field of a case: the one record the store reads and writes as it is (one column per scalar
/// property, named in snake_case) and the case wraps (<see cref="HazardCase.Restore"/>, <see cref="HazardCase.ToState"/>).
/// The plan and the pending extension are stored one column per part: their flat properties read through the
/// nested record, and a row mapper fills the nested record part by part.
/// </summary>
public sealed record HazardCaseState
{
    public required Guid Id { get; init; }
    public required string Code { get; init; }
    public required CaseStatus Status { get; init; }
    public required HazardLevel Level { get; init; }
    public required Sector Sector { get; init; }
    public required Origin Origin { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public string? StandardClause { get; init; }

    public Guid? UnitId { get; init; }
    public string? GridCode { get; init; }
    public Guid? ResponsibleUnitId { get; init; }

    public required string ReportedBy { get; init; }
    public required Role ReportedByRole { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public DateTimeOffset? TriageDeadline { get; init; }

    public string? AssignedBy { get; init; }
    public Role? AssignedByRole { get; init; }
    public DateTimeOffset? AssignedAt { get; init; }
    public DateTimeOffset? Deadline { get; init; }

    public RectificationPlan? Plan { get; init; }
    public bool PlanApproved { get; init; }
    public ExtensionRequest? PendingExtension { get; init; }
    public int ExtensionCount { get; init; }

    public string? PlanGoals { get => Plan?.Goals; private init => Plan = StoredPlan with { Goals = value! }; }
    public string? PlanMeasures { get => Plan?.Measures; private init => Plan = StoredPlan with { Measures = value! }; }
    public string? PlanFunds { get => Plan?.Funds; private init => Plan = StoredPlan with { Funds = value! }; }
    public string? PlanPeople { get => Plan?.People; private init => Plan = StoredPlan with { People = value! }; }
    public DateOnly? PlanTimeLimit { get => Plan?.TimeLimit; private init => Plan = StoredPlan with { TimeLimit = value!.Value }; }
    public string? PlanSafetyMeasures { get => Plan?.SafetyMeasures; private init => Plan = StoredPlan with { SafetyMeasures = value! }; }

    public DateOnly? ExtensionUntil { get => PendingExtension?.Until; private init => PendingExtension = StoredExtension with { Until = value!.Value }; }
    public string? ExtensionReason { get => PendingExtension?.Reason; private init => PendingExtension = StoredExtension with { Reason = value! }; }
    public string? ExtensionRequestedBy
    {
        get => PendingExtension?.RequestedBy;
        private init => PendingExtension = StoredExtension with { RequestedBy = value! };
    }

    public DateTimeOffset? ExtensionRequestedAt
    {
        get => PendingExtension?.RequestedAt;
        private init => PendingExtension = StoredExtension with { RequestedAt = value!.Value };
    }

    public string? FixSubmittedBy { get; init; }
    public DateTimeOffset? FixSubmittedAt { get; init; }
    public DateTimeOffset? VerificationDeadline { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }
    public string? ClosedBy { get; init; }
    public bool FixedOnSpot { get; init; }
    public bool SelfReported { get; init; }
    public Penalty Penalty { get; init; }

    public int ReworkCount { get; init; }
    public bool Listed { get; init; }
    public ListingLevel? ListedLevel { get; init; }
    public DateOnly? ListingDeadline { get; init; }
    public bool FakeRectification { get; init; }
    public int EscalationStep { get; init; }
    public string? RejectReason { get; init; }
    public Guid? DuplicateOf { get; init; }

    public int Version { get; init; }

    // A stored plan or request has every part; a row that has none leaves the record null (NULL columns are not set).
    private RectificationPlan StoredPlan => Plan ?? new RectificationPlan("", "", "", "", default, "");

    private ExtensionRequest StoredExtension => PendingExtension ?? new ExtensionRequest(default, "", "", default);
}
