using System.Globalization;

using Hazards.Domain.Inspections;

namespace Hazards.Domain.Tests.Inspections;

public sealed class PlanSlotsTests
{
    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [TestCase(Cadence.Weekly, "2026-03-03", "2026-03-02", true)]
    [TestCase(Cadence.Weekly, "2026-03-08", "2026-03-02", true)]
    [TestCase(Cadence.Weekly, "2026-03-03", "2026-02-23", false)]
    [TestCase(Cadence.Monthly, "2026-03-31", "2026-03-01", true)]
    [TestCase(Cadence.Monthly, "2026-03-31", "2026-02-01", false)]
    [TestCase(Cadence.Daily, "2026-03-03", "2026-03-03", true)]
    [TestCase(Cadence.Daily, "2026-03-03", "2026-03-02", false)]
    public void Owes_WhenThePlanStartsWithinOrAfterAPeriod_OwesItOnlyWhenItStartsByItsLastDay(
        Cadence cadence, string activeFrom, string dayOfPeriod, bool owed)
    {
        var period = Period.Containing(cadence, D(dayOfPeriod));

        Assert.That(PlanSlots.Owes(period, D(activeFrom), null), Is.EqualTo(owed));
    }

    [TestCase("2026-03-02", true)]
    [TestCase("2026-03-04", true)]
    [TestCase("2026-03-09", false)]
    public void Owes_WhenThePlanEndsMidWeek_OwesTheWeeksItTouches(string dayOfPeriod, bool owed)
    {
        var period = Period.Containing(Cadence.Weekly, D(dayOfPeriod));

        Assert.That(PlanSlots.Owes(period, D("2026-02-25"), D("2026-03-04")), Is.EqualTo(owed));
    }

    [TestCase(Cadence.Daily, "2026-03-03")]
    [TestCase(Cadence.Weekly, "2026-03-02")]
    [TestCase(Cadence.Monthly, "2026-03-01")]
    public void EarliestStart_OnATuesday_IsTheFirstDayOfTheCurrentPeriod(Cadence cadence, string expected)
    {
        Assert.That(PlanSlots.EarliestStart(cadence, D("2026-03-03")), Is.EqualTo(D(expected)));
    }

    [Test]
    public void Owes_ForAPlanCreatedAnyDay_OwesTheCurrentPeriodWhenStartingAtTheEarliest()
    {
        for (var day = D("2026-01-01"); day <= D("2026-12-31"); day = day.AddDays(1))
        {
            foreach (var cadence in Enum.GetValues<Cadence>())
            {
                var current = Period.Containing(cadence, day);

                Assert.That(PlanSlots.Owes(current, PlanSlots.EarliestStart(cadence, day), null), Is.True, $"{cadence} on {day}");
                Assert.That(PlanSlots.Owes(current.Previous(), PlanSlots.EarliestStart(cadence, day), null), Is.False, $"{cadence} on {day}");
            }
        }
    }
}
