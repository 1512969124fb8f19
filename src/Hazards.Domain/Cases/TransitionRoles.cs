using System.Globalization;

namespace Hazards.Domain.Cases;

/// <summary>
/// One list of the inbox: the cases on which a caller may take <see cref="Action"/>. Who may is the action's roles in
/// <see cref="Lifecycle.Table"/> and the state it moves from, both read from the table, and the action's guard on the case.
/// <see cref="Offers"/> says it of one case, <see cref="Where"/> of the cases of a table aliased <c>c</c>, binding
/// <c>@Rank</c> (the caller's role as a number) and <c>@Login</c>; the two are one rule (InboxRoleAgreementTests).
/// </summary>
public sealed class InboxRule
{
    private readonly Func<Role, string, HazardCaseState, bool> guard;

    internal InboxRule(CaseAction action, Func<Role, string, HazardCaseState, bool> guard, string? guardSql)
    {
        this.guard = guard;
        Action = action;
        Roles = TransitionRoles.RolesOf(action);
        From = Lifecycle.Table.Single(t => t.Action == action).From
            ?? throw new ArgumentException($"The action {action} starts no case's list.", nameof(action));
        var ranks = string.Join(", ", Roles.Order().Select(TransitionRoles.Rank));
        Where = $"c.status = '{TransitionRoles.StoredName(From)}' AND @Rank IN ({ranks})" + (guardSql is null ? "" : $" AND {guardSql}");
    }

    public CaseAction Action { get; }

    /// <summary>The roles of the action's row in the lifecycle table: the only callers who get the list at all.</summary>
    public IReadOnlySet<Role> Roles { get; }

    public CaseStatus From { get; }

    public string Where { get; }

    public bool Offers(Role role, string login, HazardCaseState hazard) =>
        Roles.Contains(role) && hazard.Status == From && guard(role, login, hazard);
}

/// <summary>
/// The roles of each transition and the guards on who may take it beyond the role: the case's methods call the guards
/// (<see cref="RequireVerifier"/>, <see cref="RequireExtensionDecider"/>), and the inbox lists read the same rules as
/// <see cref="InboxRule"/>s, each with its where-fragment beside its C# form.
/// </summary>
public static class TransitionRoles
{
    /// <summary>Reported cases to assign or reject.</summary>
    public static InboxRule ToTriage { get; } = new(CaseAction.Assign, (_, _, _) => true, null);

    /// <summary>Cases to fix; the caller's side of the case (the responsible unit) is the inbox's to add.</summary>
    public static InboxRule ToFix { get; } = new(CaseAction.SubmitFix, (_, _, _) => true, null);

    public static InboxRule ToVerify { get; } = new(CaseAction.VerifyPass,
        (role, login, c) => VerifierRefusal(role, login, c.Level, c.ReportedBy, c.FixSubmittedBy) is null,
        $"""
        (c.fix_submitted_by IS NULL OR c.fix_submitted_by <> @Login)
        AND ((@Rank >= {Rank(Role.DistrictRegulator)}) OR (@Rank = {Rank(Role.TownshipOfficer)} AND c.level = 'general') OR (@Rank = {Rank(Role.GridWorker)} AND c.level = 'general' AND c.reported_by = @Login))
        """);

    /// <summary>Major cases with a submitted plan not yet approved.</summary>
    public static InboxRule PlansToApprove { get; } = new(CaseAction.ApprovePlan,
        (_, _, c) => PlanApprovalRefusal(c.Level, c.Plan, c.PlanApproved) is null,
        "c.level = 'major' AND c.plan_goals IS NOT NULL AND c.plan_approved = 0");

    public static InboxRule ExtensionsToDecide { get; } = new(CaseAction.DecideExtension,
        (role, _, c) => c.PendingExtension is not null && DecidesExtension(role, c.AssignedByRole),
        $"""
        c.extension_until IS NOT NULL
        AND (c.assigned_by_role IS NULL OR c.assigned_by_role IN ('gridWorker', 'unitOfficer', 'townshipOfficer')
             OR (@Rank >= {Rank(Role.DistrictRegulator)} AND c.assigned_by_role = 'districtRegulator') OR @Rank = {Rank(Role.CityAdmin)})
        """);

    /// <summary>Closed cases to spot-check; which of them were drawn is the inbox's to add.</summary>
    public static InboxRule SpotChecks { get; } = new(CaseAction.SpotCheckGenuine, (_, _, _) => true, null);

    /// <summary>Every role that may take the action in some state, as the lifecycle table says.</summary>
    public static IReadOnlySet<Role> RolesOf(CaseAction action) =>
        Lifecycle.Table.Where(t => t.Action == action).SelectMany(t => t.Roles).ToHashSet();

    /// <summary>
    /// Beyond the table's roles: a major case only by a districtRegulator or above, a grid worker only for a general case
    /// they reported, and never the one who submitted the fix.
    /// </summary>
    public static void RequireVerifier(CaseActor actor, HazardLevel level, string reportedBy, string? fixSubmittedBy)
    {
        if (VerifierRefusal(actor.Role, actor.Login, level, reportedBy, fixSubmittedBy) is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>The level that set a deadline is the one that may move it: the decider ranks at least as the assigner.</summary>
    public static void RequireExtensionDecider(CaseActor actor, Role? assignedByRole)
    {
        if (!DecidesExtension(actor.Role, assignedByRole))
        {
            throw new DomainForbiddenException("case.extension_decider_too_junior",
                $"Only the assigning level ({assignedByRole}) or above may decide this extension.");
        }
    }

    /// <summary>A plan may be approved only on a major case, once submitted, and once: the case's method and the inbox both ask this.</summary>
    public static void RequirePlanAwaitingApproval(HazardLevel level, RectificationPlan? plan, bool approved)
    {
        if (PlanApprovalRefusal(level, plan, approved) is { } refusal)
        {
            throw refusal;
        }
    }

    internal static string Rank(Role role) => ((int)role).ToString(CultureInfo.InvariantCulture);

    /// <summary>A status as the database stores it: its name in camelCase.</summary>
    internal static string StoredName(CaseStatus status) => string.Concat(char.ToLowerInvariant(status.ToString()[0]).ToString(), status.ToString()[1..]);

    private static bool DecidesExtension(Role role, Role? assignedByRole) => assignedByRole is not { } assigner || role >= assigner;

    private static DomainRuleException? PlanApprovalRefusal(HazardLevel level, RectificationPlan? plan, bool approved) =>
        level != HazardLevel.Major
            ? new DomainRuleException("case.plan_major_only", $"The action {CaseAction.ApprovePlan} applies to major hazards only.")
        : plan is null
            ? new DomainRuleException("case.plan_missing", "No rectification plan has been submitted.")
        : approved
            ? new DomainRuleException("case.plan_already_approved", "The rectification plan is already approved.")
        : null;

    private static Exception? VerifierRefusal(Role role, string login, HazardLevel level, string reportedBy, string? fixSubmittedBy) =>
        level != HazardLevel.General && role < Role.DistrictRegulator
            ? new DomainForbiddenException("case.verify_major_requires_district", "Only a district regulator or above may verify a major hazard.")
        : role == Role.GridWorker && login != reportedBy
            ? new DomainForbiddenException("case.verify_not_reporter", "A grid worker may re-check only a general hazard they reported.")
        : login == fixSubmittedBy
            ? new DomainRuleException("case.verifier_submitted_fix", "The person who submitted the fix cannot verify it.")
        : null;
}
