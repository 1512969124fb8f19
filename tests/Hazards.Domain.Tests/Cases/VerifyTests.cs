using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class VerifyTests
{
    [Test]
    public void SubmitFix_WhenNoEvidence_ThrowsEvidenceRequired()
    {
        var hazard = Rectifying();

        var error = Assert.Throws<DomainRuleException>(() => hazard.SubmitFix("Done", [], UnitOfficer, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.evidence_required"));
    }

    [Test]
    public void SubmitFix_WhenMajorPlanNotApproved_ThrowsPlanNotApproved()
    {
        var hazard = MajorRectifying(submitPlan: true);

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.SubmitFix("Done", Evidence, UnitOfficer, Later, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.plan_not_approved"));
    }

    [TestCase(false, "2026-03-09T15:59:59Z")]
    [TestCase(true, "2026-03-18T15:59:59Z")]
    public void SubmitFix_WhenSubmitted_SetsTheVerificationDeadlineByLevel(bool major, string expected)
    {
        var hazard = major ? MajorRectifying(approvePlan: true) : Rectifying();

        var change = hazard.SubmitFix("Done", Evidence, UnitOfficer, Later, Calculator);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.FixSubmitted));
        Assert.That(hazard.FixSubmittedBy, Is.EqualTo("unit-officer"));
        Assert.That(hazard.FixSubmittedAt, Is.EqualTo(Later));
        Assert.That(hazard.VerificationDeadline, Is.EqualTo(Utc(expected)));
        Assert.That(change.EvidenceIds, Is.EqualTo(Evidence));
        Assert.That(change.Reason, Is.EqualTo("Done"));
    }

    [Test]
    public void Verify_WhenTownshipVerifiesMajor_ThrowsForbiddenMajorRequiresDistrict()
    {
        var hazard = MajorFixSubmitted();

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.Verify(true, null, Township, Later));

        Assert.That(error.Code, Is.EqualTo("case.verify_major_requires_district"));
    }

    [Test]
    public void Verify_WhenGridWorkerDidNotReportIt_ThrowsForbiddenNotReporter()
    {
        var hazard = FixSubmitted();

        var error = Assert.Throws<DomainForbiddenException>(() => hazard.Verify(true, null, OtherGridWorker, Later));

        Assert.That(error.Code, Is.EqualTo("case.verify_not_reporter"));
    }

    [Test]
    public void Verify_WhenGridWorkerReportedTheGeneralCase_Closes()
    {
        var hazard = FixSubmitted();

        hazard.Verify(true, "Re-checked", GridReporter, Later);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Closed));
        Assert.That(hazard.ClosedBy, Is.EqualTo("grid-reporter"));
        Assert.That(hazard.ClosedAt, Is.EqualTo(Later));
    }

    [Test]
    public void Verify_WhenVerifierSubmittedTheFix_ThrowsVerifierSubmittedFix()
    {
        var hazard = Rectifying();
        hazard.SubmitFix("Done", Evidence, GridReporter, Later, Calculator);

        var error = Assert.Throws<DomainRuleException>(() => hazard.Verify(true, null, GridReporter, Later.AddHours(1)));

        Assert.That(error.Code, Is.EqualTo("case.verifier_submitted_fix"));
    }

    [Test]
    public void Verify_WhenFailedWithoutReason_ThrowsReasonRequired()
    {
        var hazard = FixSubmitted();

        var error = Assert.Throws<DomainRuleException>(() => hazard.Verify(false, " ", Township, Later));

        Assert.That(error.Code, Is.EqualTo("case.reason_required"));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.FixSubmitted));
    }

    [Test]
    public void Verify_WhenFailed_SendsBackForReworkWithoutResettingTheDeadline()
    {
        var hazard = FixSubmitted();

        var change = hazard.Verify(false, "Chain is back", Township, Later);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Rectifying));
        Assert.That(hazard.ReworkCount, Is.EqualTo(1));
        Assert.That(hazard.Deadline, Is.EqualTo(GeneralDeadline));
        Assert.That(hazard.FixSubmittedBy, Is.Null);
        Assert.That(hazard.FixSubmittedAt, Is.Null);
        Assert.That(hazard.VerificationDeadline, Is.Null);
        Assert.That(change.Action, Is.EqualTo(CaseAction.VerifyFail));
        Assert.That(change.Reason, Is.EqualTo("Chain is back"));
        Assert.That(change.Details["reworkCount"], Is.EqualTo("1"));
    }

    [Test]
    public void Verify_WhenFailedTwice_CountsBothReworks()
    {
        var hazard = FixSubmitted();
        hazard.Verify(false, "Chain is back", Township, Later);
        hazard.SubmitFix("Removed again", Evidence, UnitOfficer, Later.AddHours(1), Calculator);

        hazard.Verify(false, "Still chained", Township, Later.AddHours(2));

        Assert.That(hazard.ReworkCount, Is.EqualTo(2));
        Assert.That(hazard.Deadline, Is.EqualTo(GeneralDeadline));
    }

    [Test]
    public void Verify_WhenListedCaseCloses_DelistsIt()
    {
        var hazard = HazardCase.Restore(FixSubmitted().ToState() with { Listed = true, EscalationStep = 3 });

        var change = hazard.Verify(true, "Fixed", District, Later);

        Assert.That(hazard.Listed, Is.False);
        Assert.That(change.Details["delisted"], Is.EqualTo("true"));
    }

    [Test]
    public void Verify_WhenUnlistedCaseCloses_RecordsNoDelisting()
    {
        var hazard = FixSubmitted();

        var change = hazard.Verify(true, "Fixed", Township, Later);

        Assert.That(change.Details.ContainsKey("delisted"), Is.False);
    }
}
