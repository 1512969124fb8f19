using Hazards.Api.Infrastructure.Data;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Api.Infrastructure;

/// <summary>The <c>Calendar</c> section: an admin's extra days file and how often an instance looks for another's change.</summary>
public sealed class CalendarOptions
{
    /// <summary>A CSV file of days (the embedded notices' columns) whose rows override the built-in ones; none by default.</summary>
    public string? ExtraDaysFile { get; set; }

    /// <summary>How often, at most, an instance reads the calendar's stamp before a request (0: before every request).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 3_600_000)]
    public int StampCheckMilliseconds { get; set; } = 1000;

    public static IEnumerable<string> Check(CalendarOptions o)
    {
        if (!string.IsNullOrWhiteSpace(o.ExtraDaysFile) && !File.Exists(o.ExtraDaysFile))
        {
            yield return $"Calendar:ExtraDaysFile: no file at '{o.ExtraDaysFile}'.";
        }
    }
}

/// <summary>A year of the calendar's starting data and where it came from.</summary>
public sealed record StartYear(int Year, string Source, IReadOnlyList<CalendarDay> Days);

/// <summary>
/// The calendar's starting data: the embedded State Council notices, and an admin's CSV file
/// (<c>Calendar:ExtraDaysFile</c>, same columns) whose rows override the embedded ones. Loaded into the
/// database at start for every year it lacks; from then on the database is the calendar.
/// </summary>
public static class WorkdayCalendars
{
    public static WorkdayCalendar Load(CalendarOptions options)
    {
        var extra = options.ExtraDaysFile;
        if (string.IsNullOrWhiteSpace(extra))
        {
            return WorkdayCalendar.Default;
        }

        using var reader = new StreamReader(extra);
        return WorkdayCalendar.Default.With(WorkdayCalendar.Parse(reader).Days);
    }

    public static IReadOnlyList<StartYear> StartData(CalendarOptions options)
    {
        var merged = Load(options);
        var builtIn = WorkdayCalendar.Default.OfficialYears.ToHashSet();
        var fromFile = merged.Days.Where(d => !WorkdayCalendar.Default.Days.Contains(d)).Select(d => d.Date.Year).ToHashSet();
        return [.. merged.OfficialYears.Select(year => new StartYear(
            year, fromFile.Contains(year) || !builtIn.Contains(year) ? "extraDaysFile" : "builtIn", merged.DaysOf(year)))];
    }
}

/// <summary>Deadline policy from the <c>Deadlines</c> section; sector overrides under <c>Deadlines:SectorFixWorkingDays</c>.</summary>
public static class DeadlinePolicies
{
    public static DeadlinePolicy Add(IServiceCollection services, IConfiguration configuration)
    {
        // The binder drops a dictionary entry it cannot convert, silently; such an entry is refused here instead.
        var overrides = configuration.GetSection("Deadlines:SectorFixWorkingDays").GetChildren().ToList();
        return services.AddStartupOptions(configuration, "Deadlines", new DeadlinePolicy(), p => Check(p).Concat(
            overrides.Where(o => !p.SectorFixWorkingDays.ContainsKey(o.Key))
                .Select(o => $"Deadlines:SectorFixWorkingDays:{o.Key}: '{o.Value}' is not a whole number of working days.")));
    }

    /// <summary>Every length is at least a day and at most a year (the major limit, calendar days, up to ten); each override names a sector.</summary>
    private static IEnumerable<string> Check(DeadlinePolicy p)
    {
        foreach (var (key, value) in new[]
        {
            ("GeneralFixWorkingDays", p.GeneralFixWorkingDays), ("TriageWorkingDays", p.TriageWorkingDays),
            ("VerifyGeneralWorkingDays", p.VerifyGeneralWorkingDays), ("VerifyMajorWorkingDays", p.VerifyMajorWorkingDays),
        })
        {
            if (value is < 1 or > 365)
            {
                yield return $"Deadlines:{key}: {value} is not between 1 and 365 working days.";
            }
        }

        if (p.MajorMaxCalendarDays is < 1 or > 3650)
        {
            yield return $"Deadlines:MajorMaxCalendarDays: {p.MajorMaxCalendarDays} is not between 1 and 3650 days.";
        }

        foreach (var (sector, days) in p.SectorFixWorkingDays)
        {
            if (!Enum.GetValues<Sector>().Any(s => string.Equals(Wire.Name(s), sector, StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"Deadlines:SectorFixWorkingDays:{sector}: not a sector ({string.Join(", ", Enum.GetValues<Sector>().Select(Wire.Name))}).";
            }
            else if (days is < 1 or > 365)
            {
                yield return $"Deadlines:SectorFixWorkingDays:{sector}: {days} is not between 1 and 365 working days.";
            }
        }
    }
}
