using System.Globalization;
using Hazards.Domain.Deadlines;

namespace Hazards.Domain.Cases;

public sealed partial class HazardCase
{
    public CaseEvent SubmitFix(
        string? note, IReadOnlyList<Guid> evidenceIds, CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines)
    {
        var row = Lifecycle.Check(Status, CaseAction.SubmitFix, actor.Role);
        Require(evidenceIds.Count > 0, "case.evidence_required", "A submitted fix needs evidence.");
        Require(Level == HazardLevel.General || PlanApproved, "case.plan_not_approved",
            "A major hazard's fix needs an approved rectification plan first.");

        var from = Status;
        Status = row.To;
        FixSubmittedBy = actor.Login;
        FixSubmittedAt = now;
        VerificationDeadline = deadlines.Verification(now, Level == HazardLevel.Major);

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["verificationDeadline"] = Instant(VerificationDeadline.Value),
        };
        return Record(CaseAction.SubmitFix, from, actor, now, note, evidenceIds, details);
    }

    public CaseEvent Verify(bool passed, string? note, CaseActor actor, DateTimeOffset now)
    {
        var action = passed ? CaseAction.VerifyPass : CaseAction.VerifyFail;
        var row = Lifecycle.Check(Status, action, actor.Role);
        TransitionRoles.RequireVerifier(actor, Level, ReportedBy, FixSubmittedBy);
        if (!passed)
        {
            RequireReason(note, action);
        }

        var from = Status;
        Status = row.To;
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (passed)
        {
            Close(actor, now, details);
        }
        else
        {
            ReworkCount++;
            ClearFix();
            details["reworkCount"] = ReworkCount.ToString(CultureInfo.InvariantCulture);
        }

        return Record(action, from, actor, now, note, details: details);
    }

    /// <summary>
    /// A spot check found the fix fake (假整改). The old deadline has passed by now, so both levels get a
    /// fresh general fix period from today; a major case keeps its approved plan on record. The verifier who
    /// closed it is kept in the history row, since the case forgets who closed it.
    /// </summary>
    public CaseEvent Reopen(string reason, CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines) =>
        ReopenFake(reason, [], actor, now, deadlines, new Dictionary<string, string>(StringComparer.Ordinal));

    private CaseEvent ReopenFake(
        string? reason, IReadOnlyList<Guid> evidenceIds, CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines,
        Dictionary<string, string> details)
    {
        var row = Lifecycle.Check(Status, CaseAction.Reopen, actor.Role);
        RequireReason(reason, CaseAction.Reopen);

        var from = Status;
        if (ClosedBy is { } verifier)
        {
            details["closedBy"] = verifier;
        }

        Status = row.To;
        FakeRectification = true;
        Penalty = Penalty.Aggravated;
        EscalationStep = 0;
        ClosedAt = null;
        ClosedBy = null;
        ClearFix();
        Deadline = deadlines.GeneralFix(now, SectorName(Sector));

        details["deadline"] = Instant(Deadline.Value);
        details["fakeRectification"] = "true";
        return Record(CaseAction.Reopen, from, actor, now, reason, evidenceIds, details);
    }

    private void Close(CaseActor actor, DateTimeOffset now, Dictionary<string, string> details)
    {
        ClosedAt = now;
        ClosedBy = actor.Login;
        if (Listed)
        {
            Listed = false;
            ListedLevel = null;
            ListingDeadline = null;
            details["delisted"] = "true";
        }

        // A fix on the spot has Deadline == FixSubmittedAt, so it is in time unless a failed check sent it back.
        var fixedInTime = FixSubmittedAt is { } fixedAt && Deadline is { } due && fixedAt <= due;
        if (Penalty != Penalty.Aggravated && SelfReported && fixedInTime)
        {
            Penalty = Penalty.Exempt;
        }

        details["penalty"] = Penalty.ToString().ToLowerInvariant();
    }

    private void ClearFix()
    {
        FixSubmittedBy = null;
        FixSubmittedAt = null;
        VerificationDeadline = null;
    }
}
