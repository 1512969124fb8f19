using System.Globalization;

namespace Hazards.Domain.Cases;

/// <summary>
/// One hazard (design §4). Each move checks <see cref="Lifecycle"/>, then its own guards, then mutates
/// the case and returns the history row for the store to append; nothing here touches a clock or I/O.
/// </summary>
public sealed partial class HazardCase
{
    private const int MajorMaxCalendarDays = 365;

    // The case wraps its one stored record: each move replaces it, so the record in hand is always the case as it stands.
    private HazardCaseState state;

    private HazardCase()
        : this(new HazardCaseState
        {
            Id = Guid.Empty,
            Code = string.Empty,
            Status = CaseStatus.Reported,
            Level = HazardLevel.General,
            Sector = default,
            Origin = default,
            Title = string.Empty,
            Description = string.Empty,
            ReportedBy = string.Empty,
            ReportedByRole = default,
            ReportedAt = default,
        })
    {
    }

    private HazardCase(HazardCaseState state) => this.state = state;

    public Guid Id { get => state.Id; private set => state = state with { Id = value }; }
    public string Code { get => state.Code; private set => state = state with { Code = value }; }
    public CaseStatus Status { get => state.Status; private set => state = state with { Status = value }; }
    public HazardLevel Level { get => state.Level; private set => state = state with { Level = value }; }
    public Sector Sector { get => state.Sector; private set => state = state with { Sector = value }; }
    public Origin Origin { get => state.Origin; private set => state = state with { Origin = value }; }
    public string Title { get => state.Title; private set => state = state with { Title = value }; }
    public string Description { get => state.Description; private set => state = state with { Description = value }; }
    public string? StandardClause { get => state.StandardClause; private set => state = state with { StandardClause = value }; }
    public Guid? UnitId { get => state.UnitId; private set => state = state with { UnitId = value }; }
    public string? GridCode { get => state.GridCode; private set => state = state with { GridCode = value }; }
    public Guid? ResponsibleUnitId { get => state.ResponsibleUnitId; private set => state = state with { ResponsibleUnitId = value }; }
    public string ReportedBy { get => state.ReportedBy; private set => state = state with { ReportedBy = value }; }
    public Role ReportedByRole { get => state.ReportedByRole; private set => state = state with { ReportedByRole = value }; }
    public DateTimeOffset ReportedAt { get => state.ReportedAt; private set => state = state with { ReportedAt = value }; }
    public DateTimeOffset? TriageDeadline { get => state.TriageDeadline; private set => state = state with { TriageDeadline = value }; }
    public string? AssignedBy { get => state.AssignedBy; private set => state = state with { AssignedBy = value }; }
    public Role? AssignedByRole { get => state.AssignedByRole; private set => state = state with { AssignedByRole = value }; }
    public DateTimeOffset? AssignedAt { get => state.AssignedAt; private set => state = state with { AssignedAt = value }; }
    public DateTimeOffset? Deadline { get => state.Deadline; private set => state = state with { Deadline = value }; }
    public RectificationPlan? Plan { get => state.Plan; private set => state = state with { Plan = value }; }
    public bool PlanApproved { get => state.PlanApproved; private set => state = state with { PlanApproved = value }; }
    public ExtensionRequest? PendingExtension { get => state.PendingExtension; private set => state = state with { PendingExtension = value }; }
    public int ExtensionCount { get => state.ExtensionCount; private set => state = state with { ExtensionCount = value }; }
    public string? FixSubmittedBy { get => state.FixSubmittedBy; private set => state = state with { FixSubmittedBy = value }; }
    public DateTimeOffset? FixSubmittedAt { get => state.FixSubmittedAt; private set => state = state with { FixSubmittedAt = value }; }
    public DateTimeOffset? VerificationDeadline { get => state.VerificationDeadline; private set => state = state with { VerificationDeadline = value }; }
    public DateTimeOffset? ClosedAt { get => state.ClosedAt; private set => state = state with { ClosedAt = value }; }
    public string? ClosedBy { get => state.ClosedBy; private set => state = state with { ClosedBy = value }; }
    public bool FixedOnSpot { get => state.FixedOnSpot; private set => state = state with { FixedOnSpot = value }; }
    public bool SelfReported { get => state.SelfReported; private set => state = state with { SelfReported = value }; }
    public Penalty Penalty { get => state.Penalty; private set => state = state with { Penalty = value }; }
    public int ReworkCount { get => state.ReworkCount; private set => state = state with { ReworkCount = value }; }
    public bool Listed { get => state.Listed; private set => state = state with { Listed = value }; }
    public ListingLevel? ListedLevel { get => state.ListedLevel; private set => state = state with { ListedLevel = value }; }
    public DateOnly? ListingDeadline { get => state.ListingDeadline; private set => state = state with { ListingDeadline = value }; }
    public bool FakeRectification { get => state.FakeRectification; private set => state = state with { FakeRectification = value }; }
    public int EscalationStep { get => state.EscalationStep; private set => state = state with { EscalationStep = value }; }
    public string? RejectReason { get => state.RejectReason; private set => state = state with { RejectReason = value }; }
    public Guid? DuplicateOf { get => state.DuplicateOf; private set => state = state with { DuplicateOf = value }; }
    public int Version { get => state.Version; private set => state = state with { Version = value }; }

    /// <summary>Open and past the deadline of whoever holds it: the rule of <see cref="Overdue"/>.</summary>
    public bool IsOverdue(DateTimeOffset now) => Overdue.At(now, Status, TriageDeadline, Deadline, VerificationDeadline);

    /// <summary>The sector's camelCase wire name (design §11), the key of the per-sector fix policy.</summary>
    public static string SectorName(Sector sector)
    {
        var name = sector.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string LevelName(HazardLevel level) => level == HazardLevel.Major ? "major" : "general";

    /// <summary>An instant as history details write it: ISO 8601 UTC, fractions only when there are some.</summary>
    public static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Require(bool condition, string code, string message)
    {
        if (!condition)
        {
            throw new DomainRuleException(code, message);
        }
    }

    private static void RequireRole(bool condition, string code, string message)
    {
        if (!condition)
        {
            throw new DomainForbiddenException(code, message);
        }
    }

    private static void RequireReason(string? reason, CaseAction action) =>
        Require(!string.IsNullOrWhiteSpace(reason), "case.reason_required", $"The action {action} needs a reason.");

    private CaseEvent Record(
        CaseAction action,
        CaseStatus? from,
        CaseActor actor,
        DateTimeOffset at,
        string? reason = null,
        IReadOnlyList<Guid>? evidenceIds = null,
        Dictionary<string, string>? details = null) =>
        new(action, from, Status, actor.Login, actor.Role, at, reason, evidenceIds ?? [],
            details ?? new Dictionary<string, string>(StringComparer.Ordinal));
}
