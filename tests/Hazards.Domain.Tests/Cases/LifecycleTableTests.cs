using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

/// <summary>Walks every (state, action, role) triple through the real case methods and compares with the table.</summary>
public sealed class LifecycleTableTests
{
    private static IEnumerable<TestCaseData> Triples()
    {
        CaseStatus?[] states = [null, .. Enum.GetValues<CaseStatus>()];
        foreach (var from in states)
        {
            foreach (var action in Enum.GetValues<CaseAction>())
            {
                foreach (var role in Enum.GetValues<Role>())
                {
                    yield return new TestCaseData(from, action, role)
                        .SetName($"Move_When{from?.ToString() ?? "New"}{action}By{role}_MatchesTheTable");
                }
            }
        }
    }

    [TestCaseSource(nameof(Triples))]
    public void Move_WhenWalkingEveryTriple_MatchesTheTable(CaseStatus? from, CaseAction action, Role role)
    {
        var row = Lifecycle.Table.SingleOrDefault(t => t.From == from && t.Action == action);
        var roleTakesAction = Lifecycle.Table.Any(t => t.Action == action && t.Roles.Contains(role));
        var move = Prepare(from, action, role);

        if (row is not null && row.Roles.Contains(role))
        {
            Assert.That(move(), Is.EqualTo(row.To));
        }
        else if (!roleTakesAction || row is not null)
        {
            var error = Assert.Throws<DomainForbiddenException>(() => move());
            Assert.That(error.Code, Is.EqualTo("case.role_forbidden"));
        }
        else
        {
            var error = Assert.Throws<DomainRuleException>(() => move());
            Assert.That(error.Code, Is.EqualTo("case.invalid_transition"));
        }
    }

    /// <summary>
    /// Builds the case in <paramref name="from"/> with inputs that satisfy every guard for this action, so the
    /// table alone decides: a major case with a submitted plan for approval, a pending request to decide, a
    /// verifier other than the fixer, and for a grid worker the reporter's own login.
    /// </summary>
    private static Func<CaseStatus> Prepare(CaseStatus? from, CaseAction action, Role role)
    {
        var actor = As(role);
        var reporting = action is CaseAction.Report or CaseAction.ReportFixedOnSpot or CaseAction.ReportTip;
        if (from is null && action == CaseAction.ReportTip)
        {
            var tip = Hazard(origin: Origin.PublicTip) with { UnitId = null };
            return () => HazardCase.ReportTip(tip, actor, ReportedAt, Calculator).Case.Status;
        }

        if (from is null && reporting)
        {
            var input = Hazard(fixedOnSpot: action == CaseAction.ReportFixedOnSpot, evidence: Evidence);
            return () => HazardCase.Report(input, actor, ReportedAt, Calculator).Case.Status;
        }

        // Without a case there is nothing to call, and a report always makes a new case: only the table can answer.
        if (from is null || reporting)
        {
            return () => Lifecycle.Check(from, action, role).To;
        }

        var hazard = Build(from.Value, action);
        return () =>
        {
            Invoke(hazard, action, actor);
            return hazard.Status;
        };
    }

    private static HazardCase Build(CaseStatus state, CaseAction action) => (state, action) switch
    {
        (CaseStatus.Rectifying or CaseStatus.FixSubmitted or CaseStatus.Closed, CaseAction.Reward) => MajorTip(state),
        (not CaseStatus.Closed and not CaseStatus.Rejected, CaseAction.Delist) => Listed(Build(state, CaseAction.List)),
        _ => Plain(state, action),
    };

    private static HazardCase Plain(CaseStatus state, CaseAction action) => state switch
    {
        CaseStatus.Reported => Reported(),
        CaseStatus.Rectifying when action == CaseAction.SubmitPlan => MajorRectifying(),
        CaseStatus.Rectifying when action == CaseAction.ApprovePlan => MajorRectifying(submitPlan: true),
        CaseStatus.Rectifying when action == CaseAction.DecideExtension => WithPendingExtension(),
        CaseStatus.Rectifying => Rectifying(),
        CaseStatus.FixSubmitted => FixSubmitted(),
        CaseStatus.Closed => Closed(),
        _ => Rejected(),
    };

    private static void Invoke(HazardCase hazard, CaseAction action, CaseActor actor)
    {
        var extendTo = ChinaTime.LocalDate(hazard.Deadline ?? Later).AddDays(7);
        _ = action switch
        {
            CaseAction.Assign => hazard.Assign(null, null, null, null, actor, Later, Calculator),
            CaseAction.Reject => hazard.Reject("Reported twice", null, actor, Later),
            CaseAction.SubmitPlan => hazard.SubmitPlan(Plan(), actor, Later),
            CaseAction.ApprovePlan => hazard.ApprovePlan(actor, Later, Calculator),
            CaseAction.RequestExtension => hazard.RequestExtension(extendTo, "Parts on order", actor, Later),
            CaseAction.DecideExtension => hazard.DecideExtension(true, null, actor, Later),
            CaseAction.SubmitFix => hazard.SubmitFix("Fixed", Evidence, actor, Later, Calculator),
            CaseAction.VerifyPass => hazard.Verify(true, "Checked", actor, Later),
            CaseAction.VerifyFail => hazard.Verify(false, "Still chained", actor, Later),
            CaseAction.Reopen => hazard.Reopen("Spot check: fake", actor, Later, Calculator),
            CaseAction.List => hazard.List(ListingLevel.District, "Overdue twice", new DateOnly(2026, 4, 30), actor, Later),
            CaseAction.Delist => hazard.Delist("Plan on track", actor, Later),
            CaseAction.SpotCheckGenuine => hazard.SpotCheck(true, "Exit clear", Evidence, actor, Later, Calculator),
            CaseAction.Reward => hazard.DecideReward(new RewardDecision(100_000m, 15_000m, "2018 rules art. 14", null), actor, Later),
            CaseAction.Escalate or CaseAction.DeadlineRecalculated => SystemMove(hazard, action, actor),
            CaseAction.AcknowledgeNotice => hazard.AcknowledgeNotice(Guid.Empty, 2, "渝中安警〔2026〕1号", actor, Later),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Reports are not instance moves."),
        };
    }

    // The system's moves are applied by the sweeps, never by a person: what a person's attempt gets is the table's answer.
    private static CaseEvent SystemMove(HazardCase hazard, CaseAction action, CaseActor actor)
    {
        Lifecycle.Check(hazard.Status, action, actor.Role);
        return hazard.Escalate(1, "fix", Guid.Empty, Later);
    }
}
