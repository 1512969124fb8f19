using System.Globalization;

namespace Hazards.Domain.Calendar;

public enum DayKind
{
    Holiday,
    Workday,
}

/// <summary>A public holiday, or a make-up workday (调休) that falls on a weekend.</summary>
public sealed record CalendarDay(DateOnly Date, DayKind Kind, string Name);

/// <summary>
/// China's working days: Monday–Friday, minus the State Council's holidays, plus its make-up workdays.
/// </summary>
public sealed class WorkdayCalendar
{
    private const string ResourceName = "Hazards.Domain.cn-workday-calendar.csv";
    private static readonly Lazy<WorkdayCalendar> Embedded = new(LoadEmbedded);

    private readonly Dictionary<DateOnly, CalendarDay> days;

    /// <summary>Builds a calendar; when a date appears more than once the last entry wins.</summary>
    public WorkdayCalendar(IEnumerable<CalendarDay> days)
    {
        this.days = new Dictionary<DateOnly, CalendarDay>();
        foreach (var day in days)
        {
            this.days[day.Date] = day;
        }

        if (this.days.Count == 0)
        {
            throw new ArgumentException("A workday calendar needs at least one holiday or make-up workday.", nameof(days));
        }

        Days = [.. this.days.Values.OrderBy(d => d.Date)];
        CoveredFrom = new DateOnly(Days[0].Date.Year, 1, 1);
        CoveredTo = new DateOnly(Days[^1].Date.Year, 12, 31);
    }

    public static WorkdayCalendar Default => Embedded.Value;

    public IReadOnlyList<CalendarDay> Days { get; }

    // Outside CoveredFrom..CoveredTo no notice is known, so the plain Monday–Friday rule applies.
    public DateOnly CoveredFrom { get; }

    public DateOnly CoveredTo { get; }

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
    public WorkdayCalendar With(IEnumerable<CalendarDay> extra) => new(days.Values.Concat(extra));

    public bool IsWorkingDay(DateOnly day) => days.TryGetValue(day, out var listed)
        ? listed.Kind == DayKind.Workday
        : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The n-th working day strictly after <paramref name="start"/>; the start day itself never counts
    /// (期间开始之日不计算在期间内). n = 0 returns <paramref name="start"/>.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var day = start;
        while (n > 0)
        {
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
        var count = 0;
        for (var day = fromExclusive.AddDays(1); day <= toInclusive; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

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
