using System.Globalization;
using Hazards.Domain.Calendar;

namespace Hazards.Domain.Tests.Calendar;

public sealed class StatutoryHolidaysTests
{
    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [TestCase(2025)]
    [TestCase(2026)]
    public void For_EveryDayTheLawGives_LiesInsideAHolidayBlockOfTheOfficialNotice(int year)
    {
        var official = WorkdayCalendar.Default;
        var notice = official.DaysOf(year);

        var outside = StatutoryHolidays.For(year)
            .Where(day => !InHolidayBlock(notice, day.Date))
            .Select(day => $"{day.Date:yyyy-MM-dd} {day.Name}")
            .ToList();

        Assert.That(official.StatusOf(year), Is.EqualTo(YearStatus.Official));
        Assert.That(StatutoryHolidays.For(year), Has.Count.EqualTo(13), "元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3");
        Assert.That(outside, Is.Empty);
    }

    [Test]
    public void For_2027_GivesTheLawsDaysWithTheirNames()
    {
        var days = StatutoryHolidays.For(2027).Select(d => $"{d.Date:yyyy-MM-dd} {d.Name}");

        Assert.That(days, Is.EqualTo(new[]
        {
            "2027-01-01 元旦", "2027-02-05 春节", "2027-02-06 春节", "2027-02-07 春节", "2027-02-08 春节", "2027-04-05 清明节",
            "2027-05-01 劳动节", "2027-05-02 劳动节", "2027-06-09 端午节", "2027-09-15 中秋节",
            "2027-10-01 国庆节", "2027-10-02 国庆节", "2027-10-03 国庆节",
        }));
    }

    [Test]
    public void For_AYearWhereMidAutumnIsNationalDay_NamesTheDayForBoth()
    {
        var day = StatutoryHolidays.For(2020).Single(d => d.Date == D("2020-10-01"));

        Assert.That(day.Name, Is.EqualTo("中秋节、国庆节"));
    }

    [TestCase(2015, "2015-04-05")]
    [TestCase(2016, "2016-04-04")]
    [TestCase(2017, "2017-04-04")]
    [TestCase(2018, "2018-04-05")]
    [TestCase(2019, "2019-04-05")]
    [TestCase(2020, "2020-04-04")]
    [TestCase(2021, "2021-04-04")]
    [TestCase(2022, "2022-04-05")]
    [TestCase(2023, "2023-04-05")]
    [TestCase(2024, "2024-04-04")]
    [TestCase(2025, "2025-04-04")]
    [TestCase(2026, "2026-04-05")]
    [TestCase(2027, "2027-04-05")]
    [TestCase(2028, "2028-04-04")]
    public void Qingming_ForKnownYears_IsTheDayOfTheSolarTermInBeijing(int year, string expected)
    {
        var day = SolarTerms.Qingming(year);

        Assert.That(day, Is.EqualTo(D(expected)));
    }

    [Test]
    public void For_EveryCoveredYear_ComputesWithoutThrowingAndOutsideIsEmpty()
    {
        var counts = Enumerable.Range(StatutoryHolidays.FirstYear, StatutoryHolidays.LastYear - StatutoryHolidays.FirstYear + 1)
            .Select(year => StatutoryHolidays.For(year).Count(d => d.Date.Year == year))
            .ToList();

        Assert.That(counts, Has.All.InRange(11, 13));
        Assert.That(StatutoryHolidays.For(StatutoryHolidays.FirstYear - 1), Is.Empty);
        Assert.That(StatutoryHolidays.For(StatutoryHolidays.LastYear + 1), Is.Empty);
    }

    private static bool InHolidayBlock(IReadOnlyList<CalendarDay> notice, DateOnly day)
    {
        var holidays = notice.Where(d => d.Kind == DayKind.Holiday).Select(d => d.Date).ToHashSet();
        if (holidays.Contains(day))
        {
            return true;
        }

        // A weekend day between two holidays of one block (a notice need not list a block's weekend days).
        var before = day.AddDays(-1);
        var after = day.AddDays(1);
        while (before.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !holidays.Contains(before)) { before = before.AddDays(-1); }
        while (after.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !holidays.Contains(after)) { after = after.AddDays(1); }
        return day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && holidays.Contains(before) && holidays.Contains(after);
    }
}
