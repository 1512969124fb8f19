using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;

namespace Hazards.Domain.Calendar;

public enum DayKind
{
    Holiday,
    Workday,
}

/// <summary>A public holiday, or a make-up workday (调休) that falls on a weekend.</summary>
public sealed record CalendarDay(DateOnly Date, DayKind Kind, string Name);

/// <summary>Whether a year's days come from the State Council's notice or from the law alone.</summary>
public enum YearStatus
{
    /// <summary>The State Council's notice for the year is loaded: its holidays and make-up workdays.</summary>
    Official,

    /// <summary>No notice yet: weekends plus the law's statutory holidays (<see cref="StatutoryHolidays"/>), no make-up workdays.</summary>
    Provisional,
}

/// <summary>
/// China's working days: Monday–Friday, minus the holidays, plus the make-up workdays. A year whose notice is
/// loaded follows the notice; any other year is provisional and follows <see cref="StatutoryHolidays"/>.
/// Total over every <see cref="DateOnly"/>: outside the years the law's computation covers only weekends rest.
/// </summary>
public sealed class WorkdayCalendar
{
    private const string ResourceName = "Hazards.Domain.cn-workday-calendar.csv";
    private static readonly Lazy<WorkdayCalendar> Embedded = new(LoadEmbedded);
    private static readonly ConcurrentDictionary<int, FrozenDictionary<DateOnly, CalendarDay>> Statutory = new();

    private readonly Dictionary<DateOnly, CalendarDay> days;
    private readonly HashSet<int> officialYears;

    /// <summary>
    /// Builds a calendar from the notices' days; every year that has a day is official, and so is every year in
    /// <paramref name="officialYears"/>. When a date appears more than once the last entry wins.
    /// </summary>
    public WorkdayCalendar(IEnumerable<CalendarDay> days, IEnumerable<int>? officialYears = null)
    {
        this.days = new Dictionary<DateOnly, CalendarDay>();
        foreach (var day in days)
        {
            this.days[day.Date] = day;
        }

        this.officialYears = [.. this.days.Keys.Select(d => d.Year).Concat(officialYears ?? [])];
        Days = [.. this.days.Values.OrderBy(d => d.Date)];
        OfficialYears = [.. this.officialYears.Order()];
    }

    public static WorkdayCalendar Default => Embedded.Value;

    /// <summary>The days of the official years, in date order.</summary>
    public IReadOnlyList<CalendarDay> Days { get; }

    public IReadOnlyList<int> OfficialYears { get; }

    public YearStatus StatusOf(int year) => officialYears.Contains(year) ? YearStatus.Official : YearStatus.Provisional;

    /// <summary>The first provisional year that a day of <paramref name="from"/>..<paramref name="to"/> lies in, if any.</summary>
    public int? FirstProvisionalYear(DateOnly from, DateOnly to)
    {
        for (var year = from.Year; year <= to.Year; year++)
        {
            if (StatusOf(year) == YearStatus.Provisional)
            {
                return year;
            }
        }

        return null;
    }

    /// <summary>The holidays and make-up workdays of a year: the notice's when official, the law's when provisional.</summary>
    public IReadOnlyList<CalendarDay> DaysOf(int year) => StatusOf(year) == YearStatus.Official
        ? [.. Days.Where(d => d.Date.Year == year)]
        : StatutoryHolidays.For(year);

    public static WorkdayCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkdayCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    /// <summary>Reads <c>date,kind,holiday</c> rows (header optional), e.g. <c>2026-02-14,workday,春节</c>.</summary>
    public static WorkdayCalendar Parse(TextReader csv)
    {
        var parsed = new List<CalendarDay>();
        var seen = new HashSet<DateOnly>();
        var lineNumber = 0;
        while (csv.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || (lineNumber == 1 && line.StartsWith("date,", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var day = ParseRow(line, lineNumber);
            if (!seen.Add(day.Date))
            {
                throw new FormatException($"Calendar line {lineNumber}: {day.Date:yyyy-MM-dd} is listed twice.");
            }

            parsed.Add(day);
        }

        return new WorkdayCalendar(parsed);
    }

    /// <summary>A new calendar with <paramref name="extra"/> merged in; extra entries override the same dates.</summary>
    public WorkdayCalendar With(IEnumerable<CalendarDay> extra) => new(days.Values.Concat(extra), officialYears);

    public bool IsWorkingDay(DateOnly day)
    {
        var listed = officialYears.Contains(day.Year)
            ? days.GetValueOrDefault(day)
            : StatutoryHolidays.Covers(day.Year) ? LawOf(day.Year).GetValueOrDefault(day) : null;
        return listed is not null
            ? listed.Kind == DayKind.Workday
            : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// The n-th working day strictly after <paramref name="start"/>; the start day itself never counts
    /// (期间开始之日不计算在期间内). n = 0 returns <paramref name="start"/>; the count stops at <see cref="DateOnly.MaxValue"/>.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var day = start;
        while (n > 0)
        {
            if (day == DateOnly.MaxValue)
            {
                return day;
            }

            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                n--;
            }
        }

        return day;
    }

    /// <summary>Counts working days d with <paramref name="fromExclusive"/> &lt; d ≤ <paramref name="toInclusive"/>.</summary>
    public int WorkingDaysBetween(DateOnly fromExclusive, DateOnly toInclusive)
    {
        if (toInclusive <= fromExclusive)
        {
            return 0;
        }

        // Days outside the years with holidays are plain weeks, counted without walking them day by day.
        var known = (From: new DateOnly(StatutoryHolidays.FirstYear, 1, 1), To: new DateOnly(StatutoryHolidays.LastYear, 12, 31));
        var count = 0;
        var from = fromExclusive;
        if (from < known.From.AddDays(-1))
        {
            var until = toInclusive < known.From ? toInclusive : known.From.AddDays(-1);
            count += Weekdays(from, until);
            from = until;
        }

        var to = toInclusive > known.To ? known.To : toInclusive;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        if (toInclusive > known.To)
        {
            count += Weekdays(from > known.To ? from : known.To, toInclusive);
        }

        return count;
    }

    /// <summary>Monday–Friday days d with from &lt; d ≤ to.</summary>
    private static int Weekdays(DateOnly fromExclusive, DateOnly toInclusive)
    {
        static int Upto(DateOnly day)
        {
            // Weekdays in [0001-01-01 (a Monday), day].
            var n = day.DayNumber + 1;
            return (n / 7 * 5) + Math.Min(n % 7, 5);
        }

        return toInclusive <= fromExclusive ? 0 : Upto(toInclusive) - Upto(fromExclusive);
    }

    private static FrozenDictionary<DateOnly, CalendarDay> LawOf(int year) =>
        Statutory.GetOrAdd(year, y => StatutoryHolidays.For(y).ToFrozenDictionary(d => d.Date));

    private static CalendarDay ParseRow(string line, int lineNumber)
    {
        var parts = line.Split(',', 3, StringSplitOptions.TrimEntries);
        if (parts.Length < 2
            || !DateOnly.TryParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new FormatException($"Calendar line {lineNumber}: expected 'yyyy-MM-dd,kind,name' but got '{line}'.");
        }

        var kind = parts[1].ToLowerInvariant() switch
        {
            "holiday" => DayKind.Holiday,
            "workday" => DayKind.Workday,
            _ => throw new FormatException($"Calendar line {lineNumber}: kind must be 'holiday' or 'workday', not '{parts[1]}'."),
        };
        return new CalendarDay(date, kind, parts.Length == 3 ? parts[2] : "");
    }
}
