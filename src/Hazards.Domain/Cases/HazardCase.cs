using System.Globalization;

namespace Hazards.Domain.Cases;

/// <summary>
/// One hazard (design §4). Each move checks <see cref="Lifecycle"/>, then its own guards, then mutates
/// the case and returns the history row for the store to append; nothing here touches a clock or I/O.
/// </summary>
public sealed partial class HazardCase
{
    private const int MajorMaxCalendarDays = 365;

    private HazardCase()
    {
        Code = Title = Description = ReportedBy = string.Empty;
    }

    public Guid Id { get; private set; }
    public string Code { get; private set; }
    public CaseStatus Status { get; private set; }
    public HazardLevel Level { get; private set; }
    public Sector Sector { get; private set; }
    public Origin Origin { get; private set; }
    public string Title { get; private set; }
    public string Description { get; private set; }
    public string? StandardClause { get; private set; }
    public Guid? UnitId { get; private set; }
    public string? GridCode { get; private set; }
    public Guid? ResponsibleUnitId { get; private set; }
    public string ReportedBy { get; private set; }
    public Role ReportedByRole { get; private set; }
    public DateTimeOffset ReportedAt { get; private set; }
    public DateTimeOffset? TriageDeadline { get; private set; }
    public string? AssignedBy { get; private set; }
    public Role? AssignedByRole { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public DateTimeOffset? Deadline { get; private set; }
    public RectificationPlan? Plan { get; private set; }
    public bool PlanApproved { get; private set; }
    public ExtensionRequest? PendingExtension { get; private set; }
    public int ExtensionCount { get; private set; }
    public string? FixSubmittedBy { get; private set; }
    public DateTimeOffset? FixSubmittedAt { get; private set; }
    public DateTimeOffset? VerificationDeadline { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? ClosedBy { get; private set; }
    public bool FixedOnSpot { get; private set; }
    public bool SelfReported { get; private set; }
    public Penalty Penalty { get; private set; }
    public int ReworkCount { get; private set; }
    public bool Listed { get; private set; }
    public ListingLevel? ListedLevel { get; private set; }
    public DateOnly? ListingDeadline { get; private set; }
    public bool FakeRectification { get; private set; }
    public int EscalationStep { get; private set; }
    public string? RejectReason { get; private set; }
    public Guid? DuplicateOf { get; private set; }
    public int Version { get; private set; }

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
