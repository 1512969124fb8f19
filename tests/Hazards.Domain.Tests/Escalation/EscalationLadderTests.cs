using Hazards.Domain.Calendar;
using Hazards.Domain.Escalation;
using Hazards.Domain.Inspections;

namespace Hazards.Domain.Tests.Escalation;

public sealed class EscalationLadderTests
{
    private static readonly EscalationLadder Ladder = new(WorkdayCalendar.Default, new LadderPolicy());

    private static DateTimeOffset EndOf(int year, int month, int day) => ChinaTime.EndOfDay(new DateOnly(year, month, day));

    // 2026-03-02 is a Monday; no holiday in March 2026.
    [TestCase("2026-03-09T02:00:00Z", -1)]
    [TestCase("2026-03-10T02:00:00Z", 0)]
    [TestCase("2026-03-13T02:00:00Z", 0)]
    [TestCase("2026-03-16T02:00:00Z", 1)]
    [TestCase("2026-03-19T02:00:00Z", 1)]
    [TestCase("2026-03-20T02:00:00Z", 2)]
    [TestCase("2026-03-23T02:00:00Z", 2)]
    [TestCase("2026-04-02T02:00:00Z", 2)]
    [TestCase("2026-04-06T02:00:00Z", 3)]
    [TestCase("2026-04-07T02:00:00Z", 3)]
    public void StepFor_GeneralDeadlineOnFriday13March_ClimbsWithWorkingDaysOverdue(string now, int expected)
    {
        var deadline = EndOf(2026, 3, 13);

        var step = Ladder.StepFor(deadline, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), major: false, reworks: 0);

        Assert.That(step, Is.EqualTo(expected));
    }

    [Test]
    public void StepFor_OverAWeekend_CountsOnlyWorkingDays()
    {
        var friday = EndOf(2026, 3, 13);

        var saturday = Ladder.StepFor(friday, EndOf(2026, 3, 14), major: false, reworks: 0);
        var monday = Ladder.StepFor(friday, EndOf(2026, 3, 16), major: false, reworks: 0);

        Assert.That(saturday, Is.Zero);
        Assert.That(monday, Is.EqualTo(1));
    }

    [Test]
    public void StepFor_AcrossNationalDay_SkipsTheHolidayAndCountsTheMakeUpSaturday()
    {
        // Deadline Fri 2025-09-26; Sun 09-28 is a make-up workday and 10-01..10-08 are holidays, so the
        // working days after it are 09-28, 09-29, 09-30, 10-09, 10-10: the fifth falls on 10-10.
        var deadline = EndOf(2025, 9, 26);

        var onTheTwentyNinth = Ladder.StepFor(deadline, EndOf(2025, 9, 29), major: false, reworks: 0);
        var firstDayBack = Ladder.StepFor(deadline, EndOf(2025, 10, 9), major: false, reworks: 0);
        var secondDayBack = Ladder.StepFor(deadline, EndOf(2025, 10, 10), major: false, reworks: 0);

        Assert.That(onTheTwentyNinth, Is.EqualTo(1));
        Assert.That(firstDayBack, Is.EqualTo(1));
        Assert.That(secondDayBack, Is.EqualTo(2));
    }

    [Test]
    public void StepFor_OverdueMajor_JumpsToCircular()
    {
        var deadline = EndOf(2026, 3, 13);

        var step = Ladder.StepFor(deadline, deadline.AddSeconds(1), major: true, reworks: 0);

        Assert.That(step, Is.EqualTo(3));
    }

    [Test]
    public void StepFor_SecondRework_IsAWarningEvenBeforeTheDeadline()
    {
        var step = Ladder.StepFor(EndOf(2026, 6, 30), EndOf(2026, 3, 13), major: false, reworks: 2);

        Assert.That(step, Is.EqualTo(2));
    }

    [TestCase(Cadence.Daily, 2, -1)]
    [TestCase(Cadence.Daily, 3, 1)]
    [TestCase(Cadence.Daily, 6, 2)]
    [TestCase(Cadence.Daily, 40, 4)]
    [TestCase(Cadence.Weekly, 2, 1)]
    [TestCase(Cadence.Monthly, 1, 1)]
    [TestCase(Cadence.Monthly, 3, 3)]
    public void StepForMisses_RisesWithEachMultipleOfTheThreshold(Cadence cadence, int misses, int expected)
    {
        Assert.That(Ladder.StepForMisses(cadence, misses), Is.EqualTo(expected));
    }

    [TestCase("渝中区", 1, 2026, 12, "渝中安提〔2026〕12号")]
    [TestCase("石柱土家族自治县", 3, 2026, 1, "石柱安通〔2026〕1号")]
    [TestCase("城口县", 4, 2025, 7, "城口安曝〔2025〕7号")]
    [TestCase("万州区", 0, 2026, 3, "万州安预〔2026〕3号")]
    public void LetterNumber_UsesTheDistrictsShortNameAndTheStepWord(string district, int step, int year, int seq, string expected)
    {
        Assert.That(EscalationLadder.LetterNumber(district, step, year, seq), Is.EqualTo(expected));
    }
}
