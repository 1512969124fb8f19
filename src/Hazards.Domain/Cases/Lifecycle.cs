using System.Collections.Frozen;

namespace Hazards.Domain.Cases;

/// <summary>One row of the lifecycle table (one per state and action): who may move a case from one state to another, and what the move requires.</summary>
public sealed record Transition(CaseStatus? From, CaseAction Action, CaseStatus To, IReadOnlySet<Role> Roles, string Guard);

/// <summary>The state machine of design §4 in one table; <see cref="HazardCase"/> consults it before every move.</summary>
public static class Lifecycle
{
    private static readonly Role[] PublicIntake = [Role.Public];

    private static readonly Role[] Everyone =
        [Role.GridWorker, Role.UnitOfficer, Role.TownshipOfficer, Role.DistrictRegulator, Role.CityAdmin];

    private static readonly Role[] ResponsibleSide = [Role.GridWorker, Role.UnitOfficer];

    private static readonly Role[] TownshipUp = [Role.TownshipOfficer, Role.DistrictRegulator, Role.CityAdmin];

    private static readonly Role[] DistrictUp = [Role.DistrictRegulator, Role.CityAdmin];

    // The system's moves: no role a person holds may take them.
    private static readonly Role[] SystemOnly = [];

    /// <summary>The states the escalation sweep moves: a case whose holder's deadline runs (triage, fix, verification).</summary>
    public static IReadOnlyList<CaseStatus> EscalatedStates { get; } = [CaseStatus.Reported, CaseStatus.Rectifying, CaseStatus.FixSubmitted];

    // Unit officers never verify: the responsible side does not sign off its own fix.
    private static readonly Role[] Verifiers =
        [Role.GridWorker, Role.TownshipOfficer, Role.DistrictRegulator, Role.CityAdmin];

    public static IReadOnlyList<Transition> Table { get; } =
    [
        Row(null, CaseAction.Report, CaseStatus.Reported, Everyone,
            "major only by a districtRegulator+, citing a standard clause"),
        Row(null, CaseAction.ReportFixedOnSpot, CaseStatus.FixSubmitted, ResponsibleSide,
            "general only; evidence required"),
        Row(CaseStatus.Reported, CaseAction.Assign, CaseStatus.Rectifying, TownshipUp,
            "sets level, responsible unit and deadline; only a districtRegulator+ may set major, citing a clause"),
        Row(CaseStatus.Reported, CaseAction.Reject, CaseStatus.Rejected, TownshipUp,
            "reason required; a duplicate names another case"),
        Row(CaseStatus.Rectifying, CaseAction.SubmitPlan, CaseStatus.Rectifying, ResponsibleSide,
            "major only; all six parts of the plan"),
        Row(CaseStatus.Rectifying, CaseAction.ApprovePlan, CaseStatus.Rectifying, DistrictUp,
            "major only; a submitted plan not yet approved; its time limit at most 365 days"),
        Row(CaseStatus.Rectifying, CaseAction.RequestExtension, CaseStatus.Rectifying, ResponsibleSide,
            "reason required; later than the current deadline; one pending at a time"),
        Row(CaseStatus.Rectifying, CaseAction.DecideExtension, CaseStatus.Rectifying, TownshipUp,
            "a pending request; the assigning level or above; a rejection needs a reason"),
        Row(CaseStatus.Rectifying, CaseAction.SubmitFix, CaseStatus.FixSubmitted, ResponsibleSide,
            "evidence required; major needs an approved plan"),
        Row(CaseStatus.FixSubmitted, CaseAction.VerifyPass, CaseStatus.Closed, Verifiers,
            "major by a districtRegulator+; a gridWorker only for a general case they reported; never the fixer"),
        Row(CaseStatus.FixSubmitted, CaseAction.VerifyFail, CaseStatus.Rectifying, Verifiers,
            "as pass; reason required; rework count +1; the deadline does not reset"),
        Row(CaseStatus.Closed, CaseAction.Reopen, CaseStatus.Rectifying, DistrictUp,
            "reason required; marks fake rectification and aggravated penalty; from a spot check, evidence required"),
        Row(null, CaseAction.ReportTip, CaseStatus.Reported, PublicIntake,
            "origin publicTip; general; no unit: triage finds it"),
        .. Overlay(CaseAction.List, DistrictUp,
            "reason and a later deadline; city level only by a cityAdmin; not already listed at that level or higher"),
        .. Overlay(CaseAction.Delist, DistrictUp, "reason required; listed; a city-level listing only by a cityAdmin"),
        Row(CaseStatus.Closed, CaseAction.SpotCheckGenuine, CaseStatus.Closed, DistrictUp,
            "evidence required; a not-genuine finding is a reopen"),
        .. Hold([CaseStatus.Rectifying, CaseStatus.FixSubmitted, CaseStatus.Closed], CaseAction.Reward, DistrictUp,
            "a public tip of a major hazard; 3,000-300,000 yuan; a reason when not 15% of the fine; one decision per case"),
        .. Hold(EscalatedStates, CaseAction.Escalate, SystemOnly,
            "the sweep only; the step of the notice it wrote; listed from step 3 (city level when major), a listing kept"),
        .. Hold([CaseStatus.Reported, CaseStatus.Rectifying, CaseStatus.FixSubmitted, CaseStatus.Closed], CaseAction.DeadlineRecalculated, SystemOnly,
            "a calendar correction only; a counted deadline or a notice's answer period made later, never earlier"),
        .. Hold([CaseStatus.Reported, CaseStatus.Rectifying, CaseStatus.FixSubmitted, CaseStatus.Closed], CaseAction.AcknowledgeNotice,
            Everyone, "签收: a recipient of one of the case's notices, once per notice; keeps the state"),
    ];

    /// <summary>Whether only the responsible side (grid workers, unit officers) takes the action: a plan, an extension request, a fix.</summary>
    public static bool ByResponsibleSide(CaseAction action) =>
        Table.Any(t => t.Action == action) && Table.Where(t => t.Action == action).All(t => t.Roles.SetEquals(ResponsibleSide));

    public static Transition? Find(CaseStatus? from, CaseAction action) =>
        Table.FirstOrDefault(t => t.From == from && t.Action == action);

    /// <summary>
    /// Role problems come first so that a role that may never take an action learns so (403) whatever
    /// the case's state; only a permitted role learns that the state is wrong (409).
    /// </summary>
    public static Transition Check(CaseStatus? from, CaseAction action, Role role)
    {
        if (!Table.Any(t => t.Action == action && t.Roles.Contains(role)))
        {
            throw Forbidden(action, role);
        }

        var row = Find(from, action) ?? throw new DomainRuleException(
            "case.invalid_transition",
            $"A case that is {Describe(from)} cannot take the action {action}.");

        return row.Roles.Contains(role) ? row : throw Forbidden(action, role);
    }

    /// <summary>挂牌督办 is an overlay on an open case: the move keeps the state.</summary>
    private static Transition[] Overlay(CaseAction action, Role[] roles, string guard) =>
        Hold([CaseStatus.Reported, CaseStatus.Rectifying, CaseStatus.FixSubmitted], action, roles, guard);

    private static Transition[] Hold(IEnumerable<CaseStatus> states, CaseAction action, Role[] roles, string guard) =>
        states.Select(state => Row(state, action, state, roles, guard)).ToArray();

    private static Transition Row(CaseStatus? from, CaseAction action, CaseStatus to, Role[] roles, string guard) =>
        new(from, action, to, roles.ToFrozenSet(), guard);

    private static DomainForbiddenException Forbidden(CaseAction action, Role role) =>
        new("case.role_forbidden", $"The role {role} may not take the action {action}.");

    private static string Describe(CaseStatus? status) => status?.ToString() ?? "not yet reported";
}
