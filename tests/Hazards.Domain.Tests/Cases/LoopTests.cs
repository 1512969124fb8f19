using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class LoopTests
{
    [Test]
    public void GeneralLoop_WhenReportedAssignedFixedAndVerified_ClosesWithAHistoryRowPerMove()
    {
        var (hazard, reported) = HazardCase.Report(Hazard(), GridReporter, ReportedAt, Calculator);
        var assigned = hazard.Assign(null, null, null, null, Township, AssignedAt, Calculator);
        var fixedIt = hazard.SubmitFix("Chain removed", Evidence, UnitOfficer, Later, Calculator);

        var verified = hazard.Verify(true, "Door opens", Township, Later.AddHours(2));

        CaseEvent[] history = [reported, assigned, fixedIt, verified];
        Assert.That(history.Select(e => e.From), Is.EqualTo(new CaseStatus?[]
            { null, CaseStatus.Reported, CaseStatus.Rectifying, CaseStatus.FixSubmitted }));
        Assert.That(history.Select(e => e.To), Is.EqualTo(new[]
            { CaseStatus.Reported, CaseStatus.Rectifying, CaseStatus.FixSubmitted, CaseStatus.Closed }));
        Assert.That(history.Select(e => e.Login), Is.EqualTo(new[]
            { "grid-reporter", "township-officer", "unit-officer", "township-officer" }));
        Assert.That(verified.At, Is.EqualTo(Later.AddHours(2)));
        Assert.That(verified.Role, Is.EqualTo(Role.TownshipOfficer));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Closed));
        Assert.That(hazard.IsOverdue(Later.AddDays(30)), Is.False);
    }

    [Test]
    public void MajorLoop_WhenPlanApprovedThenFixedAndVerifiedByDistrict_Closes()
    {
        var hazard = Reported();
        hazard.Assign(HazardLevel.Major, Clause, null, null, District, AssignedAt, Calculator);
        hazard.SubmitPlan(Plan(), UnitOfficer, Later);
        hazard.ApprovePlan(District, Later.AddHours(1), Calculator);
        hazard.RequestExtension(new DateOnly(2026, 7, 31), "Steel delivery late", UnitOfficer, Later.AddDays(30));
        hazard.DecideExtension(true, null, City, Later.AddDays(31));
        hazard.SubmitFix("Doors replaced", Evidence, UnitOfficer, Later.AddDays(60), Calculator);

        var verified = hazard.Verify(true, "Inspected", District, Later.AddDays(61));

        Assert.That(verified.To, Is.EqualTo(CaseStatus.Closed));
        Assert.That(hazard.Level, Is.EqualTo(HazardLevel.Major));
        Assert.That(hazard.Deadline, Is.EqualTo(ChinaTime.EndOfDay(new DateOnly(2026, 7, 31))));
        Assert.That(hazard.ExtensionCount, Is.EqualTo(1));
        Assert.That(hazard.ClosedBy, Is.EqualTo("district-regulator"));
    }

    [Test]
    public void Reopen_WhenSpotCheckFindsAFakeFix_FlagsItAndGivesAFreshGeneralDeadline()
    {
        var hazard = HazardCase.Restore(Closed().ToState() with { EscalationStep = 2 });
        var reopenedAt = Utc("2026-04-01T02:00:00Z");

        var change = hazard.Reopen("Spot check: exit chained again", District, reopenedAt, Calculator);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Rectifying));
        Assert.That(hazard.FakeRectification, Is.True);
        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Aggravated));
        Assert.That(hazard.EscalationStep, Is.Zero);
        Assert.That(hazard.ClosedAt, Is.Null);
        Assert.That(hazard.ClosedBy, Is.Null);
        Assert.That(hazard.FixSubmittedBy, Is.Null);
        Assert.That(hazard.Deadline, Is.EqualTo(Calculator.GeneralFix(reopenedAt, "fire")));
        Assert.That(change.From, Is.EqualTo(CaseStatus.Closed));
        Assert.That(change.Details["fakeRectification"], Is.EqualTo("true"));
    }

    [Test]
    public void Reopen_WhenReasonBlank_ThrowsReasonRequired()
    {
        var hazard = Closed();

        var error = Assert.Throws<DomainRuleException>(() => hazard.Reopen("", District, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.reason_required"));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Closed));
    }

    [Test]
    public void Reopen_WhenTownshipOfficerTries_ThrowsRoleForbidden()
    {
        var hazard = Closed();

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.Reopen("Fake", Township, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.role_forbidden"));
    }
}
