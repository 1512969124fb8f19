using Hazards.Domain.Calendar;
using Hazards.Domain.Cases;
using Hazards.Domain.Deadlines;
using static Hazards.Domain.Tests.Cases.Scenario;

namespace Hazards.Domain.Tests.Cases;

public sealed class AssignTests
{
    [Test]
    public void Assign_WhenGeneralWithoutDeadline_UsesSevenWorkingDaysAndTheUnit()
    {
        var hazard = Reported();

        var change = hazard.Assign(null, null, null, null, Township, AssignedAt, Calculator);

        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Rectifying));
        Assert.That(hazard.Deadline, Is.EqualTo(GeneralDeadline));
        Assert.That(hazard.ResponsibleUnitId, Is.EqualTo(UnitId));
        Assert.That(hazard.AssignedBy, Is.EqualTo("township-officer"));
        Assert.That(hazard.AssignedByRole, Is.EqualTo(Role.TownshipOfficer));
        Assert.That(hazard.AssignedAt, Is.EqualTo(AssignedAt));
        Assert.That(change.Details["deadline"], Is.EqualTo("2026-03-11T15:59:59Z"));
        Assert.That(change.Details["level"], Is.EqualTo("general"));
    }

    [Test]
    public void Assign_WhenSectorHasAPolicyOverride_UsesTheSectorsWireName()
    {
        var policy = new DeadlinePolicy { SectorFixWorkingDays = new Dictionary<string, int> { ["fire"] = 3 } };
        var hazard = Reported();

        hazard.Assign(null, null, null, null, Township, AssignedAt, new DeadlineCalculator(WorkdayCalendar.Default, policy));

        Assert.That(hazard.Deadline, Is.EqualTo(Utc("2026-03-05T15:59:59Z")));
    }

    [Test]
    public void Assign_WhenAnotherResponsibleUnitAndEarlierDeadlineGiven_UsesThem()
    {
        var other = Guid.Parse("44444444-4444-4444-4444-444444444444");
        var earlier = Utc("2026-03-06T09:00:00Z");
        var hazard = Reported();

        hazard.Assign(null, null, other, earlier, Township, AssignedAt, Calculator);

        Assert.That(hazard.ResponsibleUnitId, Is.EqualTo(other));
        Assert.That(hazard.Deadline, Is.EqualTo(earlier));
    }

    [TestCase(HazardLevel.General, "2026-03-12T02:00:00Z", "case.deadline_beyond_policy")]
    [TestCase(HazardLevel.General, "2026-03-02T03:00:00Z", "case.deadline_in_past")]
    [TestCase(HazardLevel.Major, "2027-03-03T02:00:00Z", "case.deadline_beyond_policy")]
    [TestCase(HazardLevel.Major, "2026-03-01T03:00:00Z", "case.deadline_in_past")]
    public void Assign_WhenExplicitDeadlineBreaksPolicy_Throws(HazardLevel level, string deadline, string code)
    {
        var hazard = Reported();

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.Assign(level, Clause, null, Utc(deadline), District, AssignedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo(code));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Reported));
    }

    [Test]
    public void Assign_WhenMajorWithoutDeadline_EndsAYearLaterLocal()
    {
        var hazard = Reported();

        var change = hazard.Assign(HazardLevel.Major, Clause, null, null, District, AssignedAt, Calculator);

        Assert.That(hazard.Level, Is.EqualTo(HazardLevel.Major));
        Assert.That(hazard.StandardClause, Is.EqualTo(Clause));
        Assert.That(hazard.Deadline, Is.EqualTo(ChinaTime.EndOfDay(new DateOnly(2027, 3, 2))));
        Assert.That(change.Details["level"], Is.EqualTo("major"));
    }

    [Test]
    public void Assign_WhenTownshipSetsMajor_ThrowsForbiddenMajorRequiresDistrict()
    {
        var hazard = Reported();

        var error = Assert.Throws<DomainForbiddenException>(
            () => hazard.Assign(HazardLevel.Major, Clause, null, null, Township, AssignedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.major_requires_district"));
    }

    [Test]
    public void Assign_WhenTownshipLowersADistrictsMajor_ThrowsForbiddenMajorRequiresDistrict()
    {
        var hazard = HazardCase.Report(Hazard(HazardLevel.Major, clause: Clause), District, ReportedAt, Calculator).Case;

        var error = Assert.Throws<DomainForbiddenException>(
            () => hazard.Assign(HazardLevel.General, null, null, null, Township, AssignedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.major_requires_district"));
    }

    [Test]
    public void Assign_WhenTownshipKeepsADistrictsMajor_AssignsItAsMajor()
    {
        var hazard = HazardCase.Report(Hazard(HazardLevel.Major, clause: Clause), District, ReportedAt, Calculator).Case;

        hazard.Assign(null, null, null, null, Township, AssignedAt, Calculator);

        Assert.That(hazard.Level, Is.EqualTo(HazardLevel.Major));
        Assert.That(hazard.Status, Is.EqualTo(CaseStatus.Rectifying));
    }

    [Test]
    public void Assign_WhenDistrictSetsMajorWithoutClause_ThrowsMajorRequiresClause()
    {
        var hazard = Reported();

        var error = Assert.Throws<DomainRuleException>(
            () => hazard.Assign(HazardLevel.Major, null, null, null, District, AssignedAt, Calculator));

        Assert.That(error.Code, Is.EqualTo("case.major_requires_clause"));
    }
}
