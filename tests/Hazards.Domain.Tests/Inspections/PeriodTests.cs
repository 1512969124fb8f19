using System.Globalization;

using Hazards.Domain.Inspections;

namespace Hazards.Domain.Tests.Inspections;

public sealed class PeriodTests
{
    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    [TestCase("2026-11-27T15:59:59Z", "2026-11-27")]
    [TestCase("2026-11-27T16:00:00Z", "2026-11-28")]
    public void ContainingInstant_WhenAroundSixteenUtc_SwitchesToTheNextLocalDay(string instant, string expectedKey)
    {
        var period = Period.ContainingInstant(Cadence.Daily, Utc(instant));

        Assert.That(period.Key, Is.EqualTo(expectedKey));
    }

    [Test]
    public void Containing_WhenDaily_StartsAndEndsAtLocalMidnight()
    {
        var period = Period.Containing(Cadence.Daily, D("2026-11-28"));

        Assert.That((period.StartsAt, period.EndsAt), Is.EqualTo((Utc("2026-11-27T16:00:00Z"), Utc("2026-11-28T16:00:00Z"))));
    }

    [TestCase("2026-11-28", "2026-W48", "2026-11-23", "2026-11-29")]
    [TestCase("2025-12-31", "2026-W01", "2025-12-29", "2026-01-04")]
    [TestCase("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05")]
    [TestCase("2027-01-02", "2026-W53", "2026-12-28", "2027-01-03")]
    public void Containing_WhenWeekly_UsesIsoWeeks(string day, string key, string start, string end)
    {
        var period = Period.Containing(Cadence.Weekly, D(day));

        Assert.That((period.Key, period.Start, period.End), Is.EqualTo((key, D(start), D(end))));
    }

    [TestCase("2028-02-10", "2028-02", "2028-02-29")]
    [TestCase("2026-02-28", "2026-02", "2026-02-28")]
    [TestCase("2026-12-01", "2026-12", "2026-12-31")]
    public void Containing_WhenMonthly_EndsOnTheLastDayOfTheMonth(string day, string key, string end)
    {
        var period = Period.Containing(Cadence.Monthly, D(day));

        Assert.That((period.Key, period.End, period.EndsAt), Is.EqualTo((key, D(end), LocalMidnightAfter(end))));
    }

    [TestCase(Cadence.Daily, "2026-11-28")]
    [TestCase(Cadence.Weekly, "2026-W53")]
    [TestCase(Cadence.Weekly, "2020-W01")]
    [TestCase(Cadence.Monthly, "2028-02")]
    public void Parse_WhenGivenAKey_RoundTripsThroughKey(Cadence cadence, string key)
    {
        var period = Period.Parse(cadence, key);

        Assert.That(period.Key, Is.EqualTo(key));
        Assert.That(Period.Containing(cadence, period.Start), Is.EqualTo(period));
    }

    [TestCase(Cadence.Daily, "2026-02-30")]
    [TestCase(Cadence.Daily, "2026-W48")]
    [TestCase(Cadence.Weekly, "2025-W53")]
    [TestCase(Cadence.Weekly, "2026-W00")]
    [TestCase(Cadence.Weekly, "2026-W1")]
    [TestCase(Cadence.Weekly, "2026-w48")]
    [TestCase(Cadence.Monthly, "2026-13")]
    [TestCase(Cadence.Monthly, "")]
    public void Parse_WhenKeyIsInvalid_ThrowsFormatExceptionAndTryParseFails(Cadence cadence, string key)
    {
        var parsed = Period.TryParse(cadence, key, out _);

        Assert.That(parsed, Is.False);
        Assert.That(() => Period.Parse(cadence, key), Throws.InstanceOf<FormatException>());
    }

    [TestCase(Cadence.Daily, "2026-12-31", "2027-01-01", "2026-12-30")]
    [TestCase(Cadence.Weekly, "2026-W53", "2027-W01", "2026-W52")]
    [TestCase(Cadence.Weekly, "2026-W01", "2026-W02", "2025-W52")]
    [TestCase(Cadence.Monthly, "2026-01", "2026-02", "2025-12")]
    public void NextAndPrevious_WhenCrossingYearBoundaries_ReturnAdjacentPeriods(Cadence cadence, string key, string next, string previous)
    {
        var period = Period.Parse(cadence, key);

        Assert.That((period.Next().Key, period.Previous().Key), Is.EqualTo((next, previous)));
        Assert.That(period.Next().StartsAt, Is.EqualTo(period.EndsAt));
    }

    [Test]
    public void EndedBetween_WhenSweepResumesAfterThreeDays_ReturnsExactlyTheThreeEndedDays()
    {
        var lastSweep = Utc("2026-03-01T18:00:00Z");
        var now = Utc("2026-03-04T18:00:00Z");

        var ended = Period.EndedBetween(Cadence.Daily, lastSweep, now, TimeSpan.FromHours(2)).Select(p => p.Key);

        Assert.That(ended, Is.EqualTo(new[] { "2026-03-02", "2026-03-03", "2026-03-04" }));
    }

    [TestCase("2026-03-01T17:59:59Z", "2026-03-04T17:59:59Z", new[] { "2026-03-01", "2026-03-02", "2026-03-03" })]
    [TestCase("2026-03-04T16:00:00Z", "2026-03-04T17:59:59Z", new string[0])]
    [TestCase("2026-03-04T18:00:00Z", "2026-03-04T17:00:00Z", new string[0])]
    public void EndedBetween_WhenNearTheGraceBoundary_IncludesOnlyPeriodsWhoseGraceHasRunOut(string from, string to, string[] expected)
    {
        var ended = Period.EndedBetween(Cadence.Daily, Utc(from), Utc(to), TimeSpan.FromHours(2)).Select(p => p.Key);

        Assert.That(ended, Is.EqualTo(expected));
    }

    [Test]
    public void EndedBetween_WhenWeeklyGapSpansTheYearEnd_ReturnsWeek53()
    {
        var ended = Period.EndedBetween(Cadence.Weekly, Utc("2026-12-27T00:00:00Z"), Utc("2027-01-04T00:00:00Z"), TimeSpan.Zero);

        Assert.That(ended.Select(p => p.Key), Is.EqualTo(new[] { "2026-W52", "2026-W53" }));
    }

    [Test]
    public void EndedBetween_WhenGraceIsNegative_Throws()
    {
        Assert.That(() => Period.EndedBetween(Cadence.Daily, Utc("2026-03-01T00:00:00Z"), Utc("2026-03-02T00:00:00Z"), TimeSpan.FromHours(-1)),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static DateTimeOffset LocalMidnightAfter(string day) => new(D(day).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
}
