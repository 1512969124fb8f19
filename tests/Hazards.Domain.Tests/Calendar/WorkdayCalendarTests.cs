using System.Globalization;
using Hazards.Domain.Calendar;

namespace Hazards.Domain.Tests.Calendar;

public sealed class WorkdayCalendarTests
{
    private static readonly WorkdayCalendar Calendar = WorkdayCalendar.Default;

    private static DateOnly D(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Test]
    public void LoadEmbedded_WhenRead_HasOfficialYears2024Through2026AndTheRestProvisional()
    {
        var calendar = WorkdayCalendar.LoadEmbedded();

        Assert.That(calendar.OfficialYears, Is.EqualTo(new[] { 2024, 2025, 2026 }));
        Assert.That(calendar.StatusOf(2027), Is.EqualTo(YearStatus.Provisional));
        Assert.That(calendar.FirstProvisionalYear(D("2026-10-01"), D("2026-12-31")), Is.Null);
        Assert.That(calendar.FirstProvisionalYear(D("2026-10-03"), D("2027-01-01")), Is.EqualTo(2027));
    }

    [Test]
    public void IsWorkingDay_ForEveryRowOfTheCsv_HonoursTheRowKind()
    {
        using var stream = typeof(WorkdayCalendar).Assembly.GetManifestResourceStream("Hazards.Domain.cn-workday-calendar.csv")!;
        using var reader = new StreamReader(stream);
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => (Date: D(cells[0]), Working: cells[1] == "workday"))
            .ToList();

        var mismatches = rows.Where(row => Calendar.IsWorkingDay(row.Date) != row.Working).ToList();

        Assert.That(rows, Has.Count.EqualTo(Calendar.Days.Count).And.Count.GreaterThan(100));
        Assert.That(mismatches, Is.Empty);
    }

    [TestCase("2026-02-13", true)]
    [TestCase("2026-02-14", true)]
    [TestCase("2026-02-15", false)]
    [TestCase("2026-02-16", false)]
    [TestCase("2026-02-23", false)]
    [TestCase("2026-02-24", true)]
    [TestCase("2026-02-28", true)]
    [TestCase("2026-03-01", false)]
    public void IsWorkingDay_WhenAroundSpringFestival2026_FollowsTheNotice(string date, bool working)
    {
        var result = Calendar.IsWorkingDay(D(date));

        Assert.That(result, Is.EqualTo(working));
    }

    [TestCase("2025-09-27", false)]
    [TestCase("2025-09-28", true)]
    [TestCase("2025-10-01", false)]
    [TestCase("2025-10-08", false)]
    [TestCase("2025-10-09", true)]
    [TestCase("2025-10-11", true)]
    [TestCase("2025-10-12", false)]
    public void IsWorkingDay_WhenAroundNationalDay2025_FollowsTheNotice(string date, bool working)
    {
        var result = Calendar.IsWorkingDay(D(date));

        Assert.That(result, Is.EqualTo(working));
    }

    [TestCase("2027-01-01", false)]
    [TestCase("2027-01-02", false)]
    [TestCase("2027-01-04", true)]
    [TestCase("2027-02-05", false)]
    [TestCase("2027-02-08", false)]
    [TestCase("2027-02-09", true)]
    [TestCase("2023-10-02", false)]
    [TestCase("2023-10-07", false)]
    [TestCase("2023-10-09", true)]
    [TestCase("1850-01-01", true)]
    [TestCase("2200-01-01", true)]
    public void IsWorkingDay_WhenInAProvisionalYear_UsesWeekendsAndTheLawsHolidays(string date, bool working)
    {
        var result = Calendar.IsWorkingDay(D(date));

        Assert.That(result, Is.EqualTo(working));
    }

    [Test]
    public void AddWorkingDays_WhenZero_ReturnsStartEvenOnAHoliday()
    {
        var result = Calendar.AddWorkingDays(D("2026-02-16"), 0);

        Assert.That(result, Is.EqualTo(D("2026-02-16")));
    }

    [Test]
    public void AddWorkingDays_WhenStartIsAWorkingDay_DoesNotCountTheStart()
    {
        var result = Calendar.AddWorkingDays(D("2026-03-02"), 1);

        Assert.That(result, Is.EqualTo(D("2026-03-03")));
    }

    [Test]
    public void AddWorkingDays_WhenCrossingSpringFestival2026_SkipsHolidaysAndCountsMakeUpSaturdays()
    {
        var result = Calendar.AddWorkingDays(D("2026-02-12"), 7);

        Assert.That(result, Is.EqualTo(D("2026-02-28")));
    }

    [Test]
    public void AddWorkingDays_WhenNegative_Throws()
    {
        Assert.That(() => Calendar.AddWorkingDays(D("2026-03-02"), -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase("2025-09-26", "2025-10-12", 6)]
    [TestCase("2026-03-06", "2026-03-08", 0)]
    [TestCase("2026-03-06", "2026-03-09", 1)]
    [TestCase("2026-03-09", "2026-03-09", 0)]
    [TestCase("2026-03-10", "2026-03-09", 0)]
    public void WorkingDaysBetween_WhenCounting_ExcludesFromAndIncludesTo(string from, string to, int expected)
    {
        var result = Calendar.WorkingDaysBetween(D(from), D(to));

        Assert.That(result, Is.EqualTo(expected));
    }

    [Test]
    public void With_WhenExtensionFileIsMerged_OverridesSameDatesAndExtendsCoverage()
    {
        var extension = WorkdayCalendar.Parse(new StringReader("2026-02-14,holiday,调整\n2027-01-01,holiday,元旦\n"));

        var merged = Calendar.With(extension.Days);

        Assert.That(merged.IsWorkingDay(D("2026-02-14")), Is.False);
        Assert.That(merged.IsWorkingDay(D("2027-01-01")), Is.False);
        Assert.That(merged.IsWorkingDay(D("2026-02-28")), Is.True);
        Assert.That(merged.OfficialYears, Is.EqualTo(new[] { 2024, 2025, 2026, 2027 }));
        Assert.That(merged.IsWorkingDay(D("2027-02-08")), Is.True, "an official year without the law's 春节 rows works on 春节's weekdays");
        Assert.That(Calendar.IsWorkingDay(D("2026-02-14")), Is.True);
    }

    [Test]
    public void Parse_WhenHeaderAndNameWithComma_KeepsTheWholeName()
    {
        var calendar = WorkdayCalendar.Parse(new StringReader("date,kind,holiday\r\n2030-10-01,Holiday,国庆节, 中秋节\r\n"));

        Assert.That(calendar.Days, Is.EqualTo(new[] { new CalendarDay(D("2030-10-01"), DayKind.Holiday, "国庆节, 中秋节") }));
    }

    [TestCase("2030-10-01,vacation,x")]
    [TestCase("2030-13-01,holiday,x")]
    [TestCase("2030-10-01")]
    [TestCase("2030-10-01,holiday,a\n2030-10-01,workday,b")]
    public void Parse_WhenRowIsInvalid_ThrowsFormatException(string csv)
    {
        Assert.That(() => WorkdayCalendar.Parse(new StringReader(csv)), Throws.InstanceOf<FormatException>());
    }

    [TestCase("0001-01-01", "9999-12-31")]
    [TestCase("1800-01-01", "2300-12-31")]
    [TestCase("2100-12-30", "9999-12-31")]
    [TestCase("0001-01-01", "1902-01-02")]
    public void WorkingDaysBetween_OverAnyRange_NeverThrowsAndAgreesWithTheDayByDayCount(string from, string to)
    {
        var start = D(from);
        var end = D(to);
        var walked = 0;
        for (var n = start.DayNumber + 1; n <= end.DayNumber; n++)
        {
            walked += Calendar.IsWorkingDay(DateOnly.FromDayNumber(n)) ? 1 : 0;
        }

        var counted = Calendar.WorkingDaysBetween(start, end);

        Assert.That(counted, Is.EqualTo(walked));
    }

    [Test]
    public void AddWorkingDays_NearTheLastDate_StopsThereInsteadOfThrowing()
    {
        var result = Calendar.AddWorkingDays(D("9999-12-30"), 5);

        Assert.That(result, Is.EqualTo(DateOnly.MaxValue));
    }
}
