using System.Text.Json;
using System.Text.Json.Serialization;
using Hazards.Api.Features.Attachments;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Cases;

namespace Hazards.Api.Features.Cases;

/// <summary>Where a hazard is. <c>Crs</c> says the datum of a position sent (wgs84, the default, or gcj02); a case's answer is always in WGS-84.</summary>
public sealed record Location(double? Latitude, double? Longitude, string? Address, string? Crs = null);

public sealed record PlanView(string Goals, string Measures, string Funds, string People, DateOnly TimeLimit, string SafetyMeasures, bool Approved);

public sealed record ExtensionView(DateOnly Until, string Reason, string RequestedBy, DateTimeOffset RequestedAt);

/// <summary>One history row; besides the lifecycle actions the escalation sweep writes <c>escalate</c> rows as <c>system</c>.</summary>
public sealed record HistoryEntry(
    int Seq,
    string Action,
    CaseStatus? From,
    CaseStatus To,
    string Actor,
    string Role,
    DateTimeOffset At,
    string? Reason,
    IReadOnlyList<Guid> EvidenceIds,
    IReadOnlyDictionary<string, string> Details);

/// <summary>A case as every case route answers it; <see cref="History"/> and <see cref="Attachments"/> are filled on single-case answers.</summary>
public sealed record CaseView(
    Guid Id,
    string Code,
    string Title,
    string Description,
    CaseStatus Status,
    HazardLevel Level,
    Sector Sector,
    Origin Origin,
    string? StandardClause,
    Guid? UnitId,
    string? GridCode,
    Guid? ResponsibleUnitId,
    string DistrictCode,
    Location Location,
    string ReportedBy,
    DateTimeOffset ReportedAt,
    DateTimeOffset? TriageDeadline,
    DateTimeOffset? AssignedAt,
    DateTimeOffset? Deadline,
    bool Overdue,
    int EscalationStep,
    bool Listed,
    ListingLevel? ListedLevel,
    DateOnly? ListingDeadline,
    Penalty Penalty,
    bool SelfReported,
    bool FixedOnSpot,
    bool FakeRectification,
    int ReworkCount,
    int ExtensionCount,
    PlanView? Plan,
    ExtensionView? PendingExtension,
    DateTimeOffset? FixSubmittedAt,
    DateTimeOffset? VerificationDeadline,
    DateTimeOffset? ClosedAt,
    string? RejectReason,
    Guid? DuplicateOf,
    Guid? InspectionRecordId,
    int Version,
    IReadOnlyList<HistoryEntry>? History,
    IReadOnlyList<CaseAttachment>? Attachments = null)
{
    /// <summary>Only in the answer to a new report: the open cases of its sector reported near it lately, nearest first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PossibleDuplicate>? PossibleDuplicates { get; init; }

    public static CaseView From(HazardCase c, CasePlace place, DateTimeOffset now, IReadOnlyList<HistoryEntry>? history) => new(
        c.Id, c.Code, c.Title, c.Description, c.Status, c.Level, c.Sector, c.Origin, c.StandardClause, c.UnitId, c.GridCode,
        c.ResponsibleUnitId, place.DistrictCode, new Location(place.Latitude, place.Longitude, place.Address, place.Latitude is null ? null : "wgs84"), c.ReportedBy, c.ReportedAt,
        c.TriageDeadline, c.AssignedAt, c.Deadline, c.IsOverdue(now), c.EscalationStep, c.Listed, c.ListedLevel, c.ListingDeadline, c.Penalty, c.SelfReported,
        c.FixedOnSpot, c.FakeRectification, c.ReworkCount, c.ExtensionCount,
        c.Plan is { } p ? new PlanView(p.Goals, p.Measures, p.Funds, p.People, p.TimeLimit, p.SafetyMeasures, c.PlanApproved) : null,
        c.PendingExtension is { } e ? new ExtensionView(e.Until, e.Reason, e.RequestedBy, e.RequestedAt) : null,
        c.FixSubmittedAt, c.VerificationDeadline, c.ClosedAt, c.RejectReason, c.DuplicateOf, place.InspectionRecordId, c.Version, history);
}

/// <summary>Reads a case's history and attachments and builds the full single-case answer.</summary>
public sealed class CaseViews(CaseHistory history, DbSession db, TimeProvider clock)
{
    public async Task<CaseView> Full(HazardCase hazard, CasePlace place, CancellationToken ct)
    {
        var entries = (await history.Rows(hazard.Id, ct)).Select(Entry).ToList();
        var attachments = await CaseAttachments.Read(db, hazard.Id, entries, ct);
        return CaseView.From(hazard, place, clock.GetUtcNow(), entries) with { Attachments = attachments };
    }

    public static HistoryEntry Entry(StoredHistoryRow r) => new(
        r.Seq,
        r.Action,
        r.FromStatus is null ? null : Wire.Parse<CaseStatus>(r.FromStatus),
        Wire.Parse<CaseStatus>(r.ToStatus),
        r.ActorLogin,
        r.ActorRole,
        r.At,
        r.Reason,
        JsonSerializer.Deserialize<List<Guid>>(r.EvidenceIds) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.Details) ?? []);
}
