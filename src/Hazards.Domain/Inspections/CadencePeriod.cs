using System.Globalization;
using Hazards.Domain.Calendar;

namespace Hazards.Domain.Inspections;

public enum Cadence
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// One inspection slot in Asia/Shanghai (design §6): a calendar day, an ISO week (Mon–Sun) or a calendar
/// month. <see cref="End"/> is inclusive.
/// </summary>
public readonly record struct Period(Cadence Cadence, DateOnly Start, DateOnly End)
{
    /// <summary><c>2026-11-28</c>, <c>2026-W48</c> (ISO week-year, which may differ from the calendar year) or <c>2026-11</c>.</summary>
    public string Key => Cadence switch
    {
        Cadence.Daily => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Cadence.Weekly => WeekKey(Start.ToDateTime(TimeOnly.MinValue)),
        Cadence.Monthly => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unknown cadence {Cadence}."),
    };

    public DateTimeOffset StartsAt => ChinaTime.StartOfDay(Start);

    /// <summary>The next period's start (exclusive), as UTC.</summary>
    public DateTimeOffset EndsAt => ChinaTime.StartOfDay(End.AddDays(1));

    public static Period Containing(Cadence cadence, DateOnly localDay)
    {
        switch (cadence)
        {
            case Cadence.Daily:
                return new Period(cadence, localDay, localDay);
            case Cadence.Weekly:
                var monday = localDay.AddDays(-(((int)localDay.DayOfWeek + 6) % 7));
                return new Period(cadence, monday, monday.AddDays(6));
            case Cadence.Monthly:
                var first = new DateOnly(localDay.Year, localDay.Month, 1);
                return new Period(cadence, first, first.AddMonths(1).AddDays(-1));
            default:
                throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Unknown cadence.");
        }
    }

    public static Period ContainingInstant(Cadence cadence, DateTimeOffset utc) =>
        Containing(cadence, ChinaTime.LocalDate(utc));

    public static Period Parse(Cadence cadence, string key) => TryParse(cadence, key, out var period)
        ? period
        : throw new FormatException($"'{key}' is not a {cadence} period key.");

    public static bool TryParse(Cadence cadence, string? key, out Period period)
    {
        period = default;
        DateOnly day;
        var parsed = cadence switch
        {
            Cadence.Daily => DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day),
            Cadence.Weekly => TryParseIsoWeek(key, out day),
            Cadence.Monthly => DateOnly.TryParseExact(key, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out day),
            _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "Unknown cadence."),
        };
        // A key names a period of the days the service takes; a day outside them (0001-01-01) would otherwise answer 500.
        if (!parsed || !DayRange.Contains(day))
        {
            return false;
        }

        period = Containing(cadence, day);
        return DayRange.Contains(period.Start) && DayRange.Contains(period.End);
    }

    public Period Next() => Containing(Cadence, End.AddDays(1));

    public Period Previous() => Containing(Cadence, Start.AddDays(-1));

    /// <summary>
    /// Every period whose <see cref="EndsAt"/> + <paramref name="grace"/> falls in (from, to], oldest first,
    /// so a sweep that resumes after downtime catches up on each period exactly once.
    /// </summary>
    public static IEnumerable<Period> EndedBetween(
        Cadence cadence, DateTimeOffset fromExclusiveUtc, DateTimeOffset toInclusiveUtc, TimeSpan grace)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        return Walk();

        // The period containing (from − grace) is the first whose end + grace lies after from.
        IEnumerable<Period> Walk()
        {
            for (var period = ContainingInstant(cadence, fromExclusiveUtc - grace);
                 period.EndsAt + grace <= toInclusiveUtc;
                 period = period.Next())
            {
                yield return period;
            }
        }
    }

    private static string WeekKey(DateTime monday) =>
        FormattableString.Invariant($"{ISOWeek.GetYear(monday):D4}-W{ISOWeek.GetWeekOfYear(monday):D2}");

    private static bool TryParseIsoWeek(string? key, out DateOnly monday)
    {
        monday = default;
        if (key is not { Length: 8 } || key[4] != '-' || key[5] != 'W'
            || !int.TryParse(key.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(key.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year is < 1 or > 9998
            || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return true;
    }
}
