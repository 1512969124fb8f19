using System.Globalization;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Domain.Tests.Deadlines;

public sealed class DeadlinesTests
{
    private static readonly DeadlineCalculator Deadlines = new(WorkdayCalendar.Default, new DeadlinePolicy());

    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    [Test]
    public void GeneralFix_WhenAssignedJustBeforeSpringFestival2026_EndsOnTheMakeUpSaturday()
    {
        var assignedAt = Utc("2026-02-12T02:00:00Z");

        var deadline = Deadlines.GeneralFix(assignedAt, sector: null);

        Assert.That(deadline, Is.EqualTo(Utc("2026-02-28T15:59:59Z")));
        Assert.That(deadline.Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase("2026-01-05T15:59:59Z", "2026-01-14T15:59:59Z")]
    [TestCase("2026-01-05T16:00:00Z", "2026-01-15T15:59:59Z")]
    public void GeneralFix_WhenAssignedAroundLocalMidnight_CountsFromTheShanghaiDate(string assignedAt, string expected)
    {
        var deadline = Deadlines.GeneralFix(Utc(assignedAt), sector: null);

        Assert.That(deadline, Is.EqualTo(Utc(expected)));
    }

    [TestCase("fire", "2026-03-05T15:59:59Z")]
    [TestCase("mining", "2026-03-11T15:59:59Z")]
    public void GeneralFix_WhenSectorHasAnOverride_UsesItsWorkingDays(string sector, string expected)
    {
        var policy = new DeadlinePolicy { SectorFixWorkingDays = new Dictionary<string, int> { ["fire"] = 3 } };
        var deadlines = new DeadlineCalculator(WorkdayCalendar.Default, policy);

        var deadline = deadlines.GeneralFix(Utc("2026-03-02T02:00:00Z"), sector);

        Assert.That(deadline, Is.EqualTo(Utc(expected)));
    }

    [TestCase("2026-03-06T02:00:00Z", "2026-03-09T15:59:59Z")]
    [TestCase("2026-02-13T02:00:00Z", "2026-02-14T15:59:59Z")]
    public void Triage_WhenReported_IsDueTheNextWorkingDay(string reportedAt, string expected)
    {
        var deadline = Deadlines.Triage(Utc(reportedAt));

        Assert.That(deadline, Is.EqualTo(Utc(expected)));
    }

    [TestCase(false, "2025-09-30T15:59:59Z")]
    [TestCase(true, "2025-10-16T15:59:59Z")]
    public void Verification_WhenSubmittedBeforeNationalDay2025_CountsTheMakeUpDays(bool major, string expected)
    {
        var deadline = Deadlines.Verification(Utc("2025-09-26T02:00:00Z"), major);

        Assert.That(deadline, Is.EqualTo(Utc(expected)));
    }

    [Test]
    public void MajorFix_WhenPlanIs365DaysAway_ReturnsTheEndOfThatDay()
    {
        var deadline = Deadlines.MajorFix(Utc("2026-03-02T02:00:00Z"), new DateOnly(2027, 3, 2));

        Assert.That(deadline, Is.EqualTo(Utc("2027-03-02T15:59:59Z")));
    }

    [Test]
    public void MajorFix_WhenPlanIs366DaysAway_ThrowsTooFar()
    {
        var error = Assert.Throws<DomainRuleException>(() => Deadlines.MajorFix(Utc("2026-03-02T02:00:00Z"), new DateOnly(2027, 3, 3)));

        Assert.That(error.Code, Is.EqualTo("case.plan_time_limit_too_far"));
    }

    [Test]
    public void MajorFix_WhenPlanIsBeforeTheLocalAssignmentDate_ThrowsDeadlineInPast()
    {
        var assignedAt = Utc("2026-03-01T17:00:00Z");

        var error = Assert.Throws<DomainRuleException>(() => Deadlines.MajorFix(assignedAt, new DateOnly(2026, 3, 1)));

        Assert.That(error.Code, Is.EqualTo("case.deadline_in_past"));
    }

    [Test]
    public void MajorFix_WhenPlanIsTheAssignmentDate_ReturnsThatEvening()
    {
        var deadline = Deadlines.MajorFix(Utc("2026-03-01T17:00:00Z"), new DateOnly(2026, 3, 2));

        Assert.That(deadline, Is.EqualTo(Utc("2026-03-02T15:59:59Z")));
    }

    [TestCase("2026-03-06T15:59:59Z", 0)]
    [TestCase("2026-03-06T16:00:00Z", 0)]
    [TestCase("2026-03-08T15:00:00Z", 0)]
    [TestCase("2026-03-09T02:00:00Z", 1)]
    [TestCase("2026-03-10T02:00:00Z", 2)]
    public void WorkingDaysOverdue_WhenFridayDeadlinePassesOverAWeekend_CountsOnlyWorkingDays(string now, int expected)
    {
        var deadline = Utc("2026-03-06T15:59:59Z");

        var overdue = Deadlines.WorkingDaysOverdue(deadline, Utc(now));

        Assert.That(overdue, Is.EqualTo(expected));
    }

    [TestCase("2026-02-09T02:00:00Z", 5)]
    [TestCase("2026-02-13T02:00:00Z", 1)]
    [TestCase("2026-02-14T02:00:00Z", 0)]
    [TestCase("2026-02-24T02:00:00Z", 0)]
    public void WorkingDaysUntil_WhenDeadlineIsTheMakeUpSaturday_CountsWorkingDaysLeft(string now, int expected)
    {
        var deadline = Utc("2026-02-14T15:59:59Z");

        var left = Deadlines.WorkingDaysUntil(deadline, Utc(now));

        Assert.That(left, Is.EqualTo(expected));
    }
}
