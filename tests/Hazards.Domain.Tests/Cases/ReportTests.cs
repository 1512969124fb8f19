using Hazards.Domain.Cases;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class ReportTests
{
    [Test]
    public void Report_WhenGeneral_IsReportedWithATriageDeadlineOneWorkingDayLater()
    {
        var (hazard, change) = HazardCase.Report(Hazard(), GridReporter, ReportedAt, Calculator);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Reported));
        Assert.That(hazard.TriageDeadline, Is.EqualTo(Utc("2026-03-03T15:59:59Z")));
        Assert.That(hazard.ReportedBy, Is.EqualTo("grid-reporter"));
        Assert.That(hazard.Deadline, Is.Null);
        Assert.That(change.Action, Is.EqualTo(CaseAction.Report));
        Assert.That(change.From, Is.Null);
        Assert.That(change.To, Is.EqualTo(CaseStatus.Reported));
        Assert.That(change.Details["level"], Is.EqualTo("general"));
    }

    [Test]
    public void Report_WhenFixedOnSpotWithEvidence_IsFixSubmittedAwaitingVerification()
    {
        var input = Hazard(fixedOnSpot: true, evidence: Evidence);

        var (hazard, change) = HazardCase.Report(input, UnitOfficer, ReportedAt, Calculator);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.FixSubmitted));
        Assert.That(hazard.FixedOnSpot, Is.True);
        Assert.That(hazard.FixSubmittedBy, Is.EqualTo("unit-officer"));
        Assert.That(hazard.FixSubmittedAt, Is.EqualTo(ReportedAt));
        Assert.That(hazard.Deadline, Is.EqualTo(ReportedAt));
        Assert.That(hazard.VerificationDeadline, Is.EqualTo(Utc("2026-03-05T15:59:59Z")));
        Assert.That(hazard.TriageDeadline, Is.Null);
        Assert.That(change.Action, Is.EqualTo(CaseAction.ReportFixedOnSpot));
        Assert.That(change.EvidenceIds, Is.EqualTo(Evidence));
    }

    [Test]
    public void Report_WhenFixedOnSpotIsMajor_ThrowsGeneralOnly()
    {
        var input = Hazard(HazardLevel.Major, fixedOnSpot: true, clause: Clause, evidence: Evidence);

        var error = Assert.Throws<DomainRuleException>(() => HazardCase.Report(input, UnitOfficer, ReportedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.fixed_on_spot_general_only"));
    }

    [Test]
    public void Report_WhenFixedOnSpotWithoutEvidence_ThrowsEvidenceRequired()
    {
        var input = Hazard(fixedOnSpot: true);

        var error = Assert.Throws<DomainRuleException>(() => HazardCase.Report(input, GridReporter, ReportedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.evidence_required"));
    }

    [Test]
    public void Report_WhenMajorByTownshipOfficer_ThrowsForbiddenMajorRequiresDistrict()
    {
        var input = Hazard(HazardLevel.Major, clause: Clause);

        var error = Assert.Throws<DomainForbiddenException>(() => HazardCase.Report(input, Township, ReportedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.major_requires_district"));
    }

    [Test]
    public void Report_WhenMajorWithoutClause_ThrowsMajorRequiresClause()
    {
        var input = Hazard(HazardLevel.Major, clause: " ");

        var error = Assert.Throws<DomainRuleException>(() => HazardCase.Report(input, District, ReportedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.major_requires_clause"));
    }

    [Test]
    public void Report_WhenMajorByDistrictCitingAClause_IsReportedAsMajor()
    {
        var (hazard, change) = HazardCase.Report(Hazard(HazardLevel.Major, clause: Clause), District, ReportedAt, Calculator);

        Assert.That(hazard.Level, Is.EqualTo(HazardLevel.Major));
        Assert.That(hazard.StandardClause, Is.EqualTo(Clause));
        Assert.That(change.Details["level"], Is.EqualTo("major"));
    }

    [TestCase(Origin.SelfCheck, Role.UnitOfficer, true, Penalty.None)]
    [TestCase(Origin.SelfCheck, Role.GridWorker, false, Penalty.None)]
    [TestCase(Origin.GridPatrol, Role.GridWorker, false, Penalty.None)]
    [TestCase(Origin.SensorAlert, Role.TownshipOfficer, false, Penalty.None)]
    [TestCase(Origin.HandedDown, Role.TownshipOfficer, false, Penalty.None)]
    [TestCase(Origin.RegulatorInspection, Role.DistrictRegulator, false, Penalty.Aggravated)]
    [TestCase(Origin.SpotCheck, Role.DistrictRegulator, false, Penalty.Aggravated)]
    [TestCase(Origin.PublicTip, Role.TownshipOfficer, false, Penalty.Aggravated)]
    public void Report_WhenOriginAndRoleGiven_MarksSelfReportingAndPenalty(
        Origin origin, Role role, bool selfReported, Penalty penalty)
    {
        var (hazard, _) = HazardCase.Report(Hazard(origin: origin), As(role), ReportedAt, Calculator);

        Assert.That(hazard.SelfReported, Is.EqualTo(selfReported));
        Assert.That(hazard.Penalty, Is.EqualTo(penalty));
    }
}
