namespace Hazards.Domain.Cases;

/// <summary>
/// Every stored field of a case, for the store to load (<see cref="HazardCase.Restore"/>) and save
/// (<see cref="HazardCase.ToState"/>). Init-only properties so a row mapper can fill it by name.
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
}
