using System.Globalization;

namespace Hazards.Domain.Calendar;

/// <summary>
/// The statutory holidays of 《全国年节及纪念日放假办法》 as in force from 2025 (国务院令第795号): 元旦 1 Jan;
/// 春节 除夕 and the first three days of the first lunar month; 清明 the solar term; 劳动节 1–2 May; 端午
/// the 5th of the 5th lunar month; 中秋 the 15th of the 8th lunar month; 国庆 1–3 Oct. Lunar dates come from
/// <see cref="ChineseLunisolarCalendar"/>, 清明 from <see cref="SolarTerms"/>. Make-up workdays (调休) and
/// compensation for holidays on weekends are the State Council's yearly notice to decide, so none are here.
/// </summary>
public static class StatutoryHolidays
{
    /// <summary>The first and last years the lunisolar calendar covers whole (it runs 1901-02-19 to 2101-01-28).</summary>
    public const int FirstYear = 1902;

    public const int LastYear = 2100;

    private static readonly ChineseLunisolarCalendar Lunar = new();

    public static bool Covers(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>Every day the law makes a holiday in <paramref name="year"/>, in date order; empty outside the covered years.</summary>
    public static IReadOnlyList<CalendarDay> For(int year)
    {
        if (!Covers(year))
        {
            return [];
        }

        var days = new SortedDictionary<DateOnly, string>();
        void Add(DateOnly day, string name) => days[day] = days.TryGetValue(day, out var other) ? $"{other}、{name}" : name;

        Add(new DateOnly(year, 1, 1), "元旦");
        var newYear = LunarDate(year, 1, 1);
        for (var offset = -1; offset <= 2; offset++)
        {
            Add(newYear.AddDays(offset), "春节");
        }

        Add(SolarTerms.Qingming(year), "清明节");
        Add(new DateOnly(year, 5, 1), "劳动节");
        Add(new DateOnly(year, 5, 2), "劳动节");
        Add(LunarDate(year, 5, 5), "端午节");
        Add(LunarDate(year, 8, 15), "中秋节");
        for (var day = 1; day <= 3; day++)
        {
            Add(new DateOnly(year, 10, day), "国庆节");
        }

        return [.. days.Select(d => new CalendarDay(d.Key, DayKind.Holiday, d.Value))];
    }

    /// <summary>A lunar month and day of the lunar year that begins in Gregorian <paramref name="year"/>; a leap month shifts the index of those after it.</summary>
    private static DateOnly LunarDate(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var index = leap != 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }
}
