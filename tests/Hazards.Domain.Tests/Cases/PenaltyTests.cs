using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class PenaltyTests
{
    [Test]
    public void Verify_WhenSelfReportedAndFixedByTheDeadline_MarksExempt()
    {
        var hazard = FixSubmitted(Origin.SelfCheck, UnitOfficer);

        var change = hazard.Verify(true, "Fixed", Township, Later);

        Assert.That(hazard.SelfReported, Is.True);
        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Exempt));
        Assert.That(change.Details["penalty"], Is.EqualTo("exempt"));
    }

    [Test]
    public void Verify_WhenSelfReportedButFixedAfterTheDeadline_KeepsNoPenaltyMark()
    {
        var hazard = Rectifying(Origin.SelfCheck, UnitOfficer);
        hazard.SubmitFix("Late", Evidence, UnitOfficer, GeneralDeadline.AddSeconds(1), Calculator);

        hazard.Verify(true, "Fixed", Township, GeneralDeadline.AddDays(1));

        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.None));
    }

    [Test]
    public void Verify_WhenSelfReportedAndFixedOnTheSpot_MarksExempt()
    {
        var input = Hazard(origin: Origin.SelfCheck, fixedOnSpot: true, evidence: Evidence);
        var hazard = HazardCase.Report(input, UnitOfficer, ReportedAt, Calculator).Case;

        hazard.Verify(true, "Seen", Township, Later);

        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Exempt));
    }

    [Test]
    public void Verify_WhenFixedOnTheSpotFailedAndWasReworked_IsNoLongerExempt()
    {
        var input = Hazard(origin: Origin.SelfCheck, fixedOnSpot: true, evidence: Evidence);
        var hazard = HazardCase.Report(input, UnitOfficer, ReportedAt, Calculator).Case;
        hazard.Verify(false, "Not fixed", Township, Later);
        hazard.SubmitFix("Now fixed", Evidence, UnitOfficer, Later.AddHours(1), Calculator);

        hazard.Verify(true, "Seen", Township, Later.AddHours(2));

        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.None));
    }

    [Test]
    public void Verify_WhenFoundByAPublicTip_StaysAggravatedEvenIfFixedInTime()
    {
        var hazard = FixSubmitted(Origin.PublicTip, Township);

        hazard.Verify(true, "Fixed", District, Later);

        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Aggravated));
    }

    [Test]
    public void Verify_WhenSelfReportedCaseWasReopenedAsFake_StaysAggravated()
    {
        var hazard = FixSubmitted(Origin.SelfCheck, UnitOfficer);
        hazard.Verify(true, "Fixed", Township, Later);
        hazard.Reopen("Spot check: fake", District, Later.AddHours(1), Calculator);
        hazard.SubmitFix("Really fixed", Evidence, UnitOfficer, Later.AddHours(2), Calculator);

        hazard.Verify(true, "Fixed", District, Later.AddHours(3));

        Assert.That(hazard.Penalty, Is.EqualTo(Penalty.Aggravated));
    }
}
