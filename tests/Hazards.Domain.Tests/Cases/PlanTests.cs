using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class PlanTests
{
    [Test]
    public void SubmitPlan_WhenGeneral_ThrowsPlanMajorOnly()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainRuleException>(() => hazard.SubmitPlan(Plan(), UnitOfficer, Later));

        Assert.That(error.Code, Is.EqualTo("case.plan_major_only"));
    }

    [Test]
    public void SubmitPlan_WhenAPartIsBlank_ThrowsPlanIncomplete()
    {
        var hazard = MajorRectifying();

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.SubmitPlan(Plan() with { Funds = " " }, UnitOfficer, Later));

        Assert.That(error.Code, Is.EqualTo("case.plan_incomplete"));
    }

    [Test]
    public void SubmitPlan_WhenResubmittedAfterApproval_ReplacesThePlanAndClearsTheApproval()
    {
        var hazard = MajorRectifying(approvePlan: true);
        var revised = Plan(new DateOnly(2026, 7, 31));

        var change = hazard.SubmitPlan(revised, UnitOfficer, Later);

        Assert.That(hazard.Plan, Is.EqualTo(revised));
        Assert.That(hazard.PlanApproved, Is.False);
        Assert.That(change.From, Is.EqualTo(CaseStatus.Rectifying));
        Assert.That(change.To, Is.EqualTo(CaseStatus.Rectifying));
        Assert.That(change.Details["timeLimit"], Is.EqualTo("2026-07-31"));
    }

    [Test]
    public void ApprovePlan_WhenSubmitted_SetsTheDeadlineToThePlansLastDay()
    {
        var hazard = MajorRectifying(submitPlan: true);

        var change = hazard.ApprovePlan(District, Later, Calculator);

        Assert.That(hazard.PlanApproved, Is.True);
        Assert.That(hazard.Deadline, Is.EqualTo(ChinaTime.EndOfDay(new DateOnly(2026, 6, 30))));
        Assert.That(change.Details["deadline"], Is.EqualTo("2026-06-30T15:59:59Z"));
    }

    [Test]
    public void ApprovePlan_WhenGeneral_ThrowsPlanMajorOnly()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainRuleException>(() => hazard.ApprovePlan(District, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.plan_major_only"));
    }

    [Test]
    public void ApprovePlan_WhenNoPlan_ThrowsPlanMissing()
    {
        var hazard = MajorRectifying();

        var error = Assert.Throws<DomainRuleException>(() => hazard.ApprovePlan(District, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.plan_missing"));
    }

    [Test]
    public void ApprovePlan_WhenAlreadyApproved_ThrowsPlanAlreadyApproved()
    {
        var hazard = MajorRectifying(approvePlan: true);

        var error = Assert.Throws<DomainRuleException>(() => hazard.ApprovePlan(City, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.plan_already_approved"));
    }

    [Test]
    public void ApprovePlan_WhenTimeLimitMoreThanAYearAfterAssignment_ThrowsPlanTimeLimitTooFar()
    {
        var hazard = MajorRectifying();
        hazard.SubmitPlan(Plan(new DateOnly(2027, 3, 3)), UnitOfficer, Later);

        var error = Assert.Throws<DomainRuleException>(() => hazard.ApprovePlan(District, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.plan_time_limit_too_far"));
        Assert.That(hazard.PlanApproved, Is.False);
    }

    [Test]
    public void ApprovePlan_WhenTownshipOfficerTries_ThrowsRoleForbidden()
    {
        var hazard = MajorRectifying(submitPlan: true);

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.ApprovePlan(Township, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.role_forbidden"));
    }
}
