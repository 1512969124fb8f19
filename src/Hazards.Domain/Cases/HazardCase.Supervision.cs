using System.Globalization;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Domain.Cases;

/// <summary>Supervision moves of design §8: tip intake, listing (挂牌督办), spot checks (真查) and tip rewards.</summary>
public sealed partial class HazardCase
{
    /// <summary>
    /// A public tip (举报) lands as a reported general case with no unit: triage confirms it, sets the level and
    /// finds the responsible unit. Found by the public, it is aggravated like any hazard the unit did not report.
    /// </summary>
    public static (HazardCase Case, CaseEvent Event) ReportTip(
        NewHazard input, CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines)
    {
        var row = Lifecycle.Check(null, CaseAction.ReportTip, actor.Role);
        Require(input.Origin == Origin.PublicTip && input.Level == HazardLevel.General && !input.FixedOnSpot && input.UnitId is null,
            "case.tip_invalid", "A public tip is a general hazard of origin publicTip, with no unit and not fixed on the spot.");

        var hazard = new HazardCase
        {
            Id = input.Id,
            Code = input.Code,
            Status = row.To,
            Level = HazardLevel.General,
            Sector = input.Sector,
            Origin = Origin.PublicTip,
            Title = input.Title,
            Description = input.Description,
            GridCode = input.GridCode,
            ReportedBy = actor.Login,
            ReportedByRole = actor.Role,
            ReportedAt = now,
            TriageDeadline = deadlines.Triage(now),
            Penalty = Penalty.Aggravated,
            Version = 1,
        };
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["level"] = LevelName(HazardLevel.General) };
        return (hazard, hazard.Record(CaseAction.ReportTip, null, actor, now, evidenceIds: input.EvidenceIds, details: details));
    }

    /// <summary>挂牌督办 by hand: a district lists at district level, the city at either; a district listing may be raised to city.</summary>
    public CaseEvent List(ListingLevel level, string? reason, DateOnly deadline, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.List, actor.Role);
        RequireRole(level == ListingLevel.District || actor.Role == Role.CityAdmin, "case.list_city_requires_admin",
            "Only a city admin may list a case at city level.");
        RequireReason(reason, CaseAction.List);
        Require(deadline > ChinaTime.LocalDate(now), "case.listing_deadline_in_past", "The listing's deadline must be after today.");
        Require(!Listed || (ListedLevel == ListingLevel.District && level == ListingLevel.City), "case.already_listed",
            "The case is already listed at this level or higher.");

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["level"] = ListingName(level),
            ["listingDeadline"] = Day(deadline),
        };
        if (Listed && ListedLevel is { } previous)
        {
            details["previousLevel"] = ListingName(previous);
        }

        Listed = true;
        ListedLevel = level;
        ListingDeadline = deadline;
        return Record(CaseAction.List, Status, actor, now, reason, details: details);
    }

    /// <summary>摘牌 before close-out: a city listing only by the city.</summary>
    public CaseEvent Delist(string? reason, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.Delist, actor.Role);
        RequireReason(reason, CaseAction.Delist);
        Require(Listed, "case.not_listed", "The case is not listed.");
        RequireRole(ListedLevel != ListingLevel.City || actor.Role == Role.CityAdmin, "case.delist_city_requires_admin",
            "Only a city admin may lift a city-level listing.");

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["level"] = ListedLevel is { } level ? ListingName(level) : "district",
        };
        Listed = false;
        ListedLevel = null;
        ListingDeadline = null;
        return Record(CaseAction.Delist, Status, actor, now, reason, details: details);
    }

    /// <summary>
    /// 真查: a drawn closed case checked on site. Genuine leaves it closed with a history row; not genuine
    /// reopens it as a fake fix (<see cref="Reopen"/>). Either way the check needs evidence.
    /// </summary>
    public CaseEvent SpotCheck(
        bool genuine, string? note, IReadOnlyList<Guid> evidenceIds, CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines)
    {
        var action = genuine ? CaseAction.SpotCheckGenuine : CaseAction.Reopen;
        Lifecycle.Check(Status, action, actor.Role);
        Require(evidenceIds.Count > 0, "case.evidence_required", "A spot check needs evidence from the site.");

        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["spotCheck"] = genuine ? "genuine" : "notGenuine" };
        if (!genuine)
        {
            return ReopenFake(note, evidenceIds, actor, now, deadlines, details);
        }

        if (ClosedBy is { } verifier)
        {
            details["closedBy"] = verifier;
        }

        return Record(CaseAction.SpotCheckGenuine, Status, actor, now, note, evidenceIds, details);
    }

    /// <summary>举报奖励 on a confirmed public tip of a major hazard; the amounts follow <see cref="RewardRules"/>.</summary>
    public CaseEvent DecideReward(RewardDecision decision, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.Reward, actor.Role);
        Require(Origin == Origin.PublicTip, "reward.not_public_tip", "Only a public tip can carry a reward decision.");
        Require(Level == HazardLevel.Major, "reward.not_major", "Rewards under the 2018 rules are for tips of major hazards.");
        Require(RewardRules.InRange(decision.Amount), "reward.amount_out_of_range",
            $"A reward is between {RewardRules.Minimum:0} and {RewardRules.Maximum:0} yuan.");
        Require(!string.IsNullOrWhiteSpace(decision.Basis), "reward.basis_required", "Cite the rule the reward is based on.");
        var standard = RewardRules.Standard(decision.FineAmount);
        var deviates = RewardRules.NeedsReason(decision.FineAmount, decision.Amount);
        Require(!deviates || !string.IsNullOrWhiteSpace(decision.Note), "reward.reason_required",
            $"The standard reward is {standard:0.00} yuan (15% of the fine, within the limits); say why this amount differs.");

        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["fineAmount"] = Money(decision.FineAmount),
            ["amount"] = Money(decision.Amount),
            ["standardAmount"] = Money(standard),
            ["basis"] = decision.Basis,
            ["deviates"] = deviates ? "true" : "false",
        };
        return Record(CaseAction.Reward, Status, actor, now, decision.Note, details: details);
    }

    /// <summary>签收: a recipient says they received a notice of this case (its step and letter in the details); the case keeps its state.</summary>
    public CaseEvent AcknowledgeNotice(Guid noticeId, int step, string letterNumber, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.AcknowledgeNotice, actor.Role);
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["noticeId"] = noticeId.ToString("D"),
            ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["letterNumber"] = letterNumber,
        };
        return Record(CaseAction.AcknowledgeNotice, Status, actor, now, details: details);
    }

    /// <summary>The step from which an escalated case is listed (通报 and up).</summary>
    public const int ListingStep = 3;

    /// <summary>
    /// 快警快控快处: the sweep wrote a notice of <paramref name="step"/> for this open case. The case shows the highest step it
    /// has been sent since it was (re)opened: a later round (an approved extension moves the deadline, so its ladder starts
    /// again at the warning) writes its lower letters and history rows, but a 通报 once issued stays on the record until a
    /// reopening starts the case over. From <see cref="ListingStep"/> on it is listed, at city level when major, and a
    /// listing it already has is kept.
    /// The sweep applies the same move to many cases at once with <see cref="EscalateSet"/>; both record <see cref="EscalationDetails"/>.
    /// </summary>
    public CaseEvent Escalate(int step, string subject, Guid noticeId, DateTimeOffset now)
    {
        var row = Lifecycle.Find(Status, CaseAction.Escalate) ?? throw new DomainRuleException(
            "case.invalid_transition", $"A case that is {Status} cannot take the action {CaseAction.Escalate}.");
        if (!Listed && step >= ListingStep)
        {
            ListedLevel = Level == HazardLevel.Major ? ListingLevel.City : ListingLevel.District;
        }

        Listed = Listed || step >= ListingStep;
        EscalationStep = Math.Max(EscalationStep, step);
        return new CaseEvent(CaseAction.Escalate, Status, row.To, CaseEvent.System, null, now, null, [],
            EscalationDetails(step, subject, noticeId, Listed));
    }

    /// <summary>
    /// <see cref="Escalate"/> as the SET list of an UPDATE of <paramref name="target"/> joined to each case's new step as
    /// <c>s.step</c>; the caller adds the version and the time, as for every write of a case.
    /// </summary>
    public static string EscalateSet(string target) => $"""
            escalation_step = CASE WHEN s.step > {target}.escalation_step THEN s.step ELSE {target}.escalation_step END,
            listed_level = CASE WHEN {target}.listed = 0 AND s.step >= {ListingStep} THEN CASE WHEN {target}.level = 'major' THEN 'city' ELSE 'district' END
                                ELSE {target}.listed_level END,
            listed = CASE WHEN s.step >= {ListingStep} THEN 1 ELSE {target}.listed END,
        """;

    /// <summary>The details of an escalation's history row: the notice's step, subject kind and id, and whether the case is now listed.</summary>
    public static Dictionary<string, string> EscalationDetails(int step, string subject, Guid noticeId, bool listed) => new(StringComparer.Ordinal)
    {
        ["step"] = step.ToString(CultureInfo.InvariantCulture),
        ["subject"] = subject,
        ["noticeId"] = noticeId.ToString("D"),
        ["listed"] = listed ? "true" : "false",
    };

    private static string ListingName(ListingLevel level) => level == ListingLevel.City ? "city" : "district";

    private static string Money(decimal yuan) => yuan.ToString("0.00", CultureInfo.InvariantCulture);
}
