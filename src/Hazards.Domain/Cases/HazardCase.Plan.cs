using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Domain.Cases;

public sealed partial class HazardCase
{
    public CaseEvent SubmitPlan(RectificationPlan plan, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.SubmitPlan, actor.Role);
        RequireMajor(CaseAction.SubmitPlan);
        string[] parts = [plan.Goals, plan.Measures, plan.Funds, plan.People, plan.SafetyMeasures];
        Require(plan.TimeLimit != default && parts.All(p => !string.IsNullOrWhiteSpace(p)), "case.plan_incomplete",
            "A rectification plan needs goals, measures, funds, people, a time limit and safety measures.");

        Plan = plan;
        PlanApproved = false;

        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["timeLimit"] = Day(plan.TimeLimit) };
        return Record(CaseAction.SubmitPlan, Status, actor, now, details: details);
    }

    public CaseEvent ApprovePlan(CaseActor actor, DateTimeOffset now, DeadlineCalculator deadlines)
    {
        Lifecycle.Check(Status, CaseAction.ApprovePlan, actor.Role);
        TransitionRoles.RequirePlanAwaitingApproval(Level, Plan, PlanApproved);
        var plan = Plan!;
        var due = deadlines.MajorFix(AssignedAt ?? now, plan.TimeLimit);
        Require(due > now, "case.deadline_in_past", "The plan's time limit has already passed.");

        PlanApproved = true;
        Deadline = due;

        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["deadline"] = Instant(due) };
        return Record(CaseAction.ApprovePlan, Status, actor, now, details: details);
    }

    public CaseEvent RequestExtension(DateOnly until, string reason, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.RequestExtension, actor.Role);
        RequireReason(reason, CaseAction.RequestExtension);
        Require(PendingExtension is null, "case.extension_pending", "An extension request is already pending.");
        Require(Deadline is not { } current || until > ChinaTime.LocalDate(current), "case.extension_not_later",
            "An extension must end after the current deadline's day.");

        PendingExtension = new ExtensionRequest(until, reason, actor.Login, now);

        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["until"] = Day(until) };
        return Record(CaseAction.RequestExtension, Status, actor, now, reason, details: details);
    }

    /// <summary>The decider must rank at least as the assigner (<see cref="TransitionRoles.RequireExtensionDecider"/>).</summary>
    public CaseEvent DecideExtension(bool approved, string? reason, CaseActor actor, DateTimeOffset now)
    {
        Lifecycle.Check(Status, CaseAction.DecideExtension, actor.Role);
        var request = PendingExtension
            ?? throw new DomainRuleException("case.extension_missing", "There is no pending extension request.");
        TransitionRoles.RequireExtensionDecider(actor, AssignedByRole);
        if (!approved)
        {
            RequireReason(reason, CaseAction.DecideExtension);
        }

        PendingExtension = null;
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["approved"] = approved ? "true" : "false",
            ["until"] = Day(request.Until),
        };
        if (approved)
        {
            Deadline = ChinaTime.EndOfDay(request.Until);
            ExtensionCount++;
            details["deadline"] = Instant(Deadline.Value);
        }

        return Record(CaseAction.DecideExtension, Status, actor, now, reason, details: details);
    }

    private void RequireMajor(CaseAction action) =>
        Require(Level == HazardLevel.Major, "case.plan_major_only", $"The action {action} applies to major hazards only.");
}
