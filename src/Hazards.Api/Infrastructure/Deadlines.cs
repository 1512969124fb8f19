using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Api.Infrastructure;

/// <summary>A year of the calendar's starting data and where it came from.</summary>
public sealed record StartYear(int Year, string Source, IReadOnlyList<CalendarDay> Days);

/// <summary>
/// The calendar's starting data: the embedded State Council notices, and an admin's CSV file
/// (<c>Calendar:ExtraDaysFile</c>, same columns) whose rows override the embedded ones. Loaded into the
/// database at start for every year it lacks; from then on the database is the calendar.
/// </summary>
public static class WorkdayCalendars
{
    public static WorkdayCalendar Load(IConfiguration configuration)
    {
        var extra = configuration["Calendar:ExtraDaysFile"];
        if (string.IsNullOrWhiteSpace(extra))
        {
            return WorkdayCalendar.Default;
        }

        using var reader = new StreamReader(extra);
        return WorkdayCalendar.Default.With(WorkdayCalendar.Parse(reader).Days);
    }

    public static IReadOnlyList<StartYear> StartData(IConfiguration configuration)
    {
        var merged = Load(configuration);
        var builtIn = WorkdayCalendar.Default.OfficialYears.ToHashSet();
        var fromFile = merged.Days.Where(d => !WorkdayCalendar.Default.Days.Contains(d)).Select(d => d.Date.Year).ToHashSet();
        return [.. merged.OfficialYears.Select(year => new StartYear(
            year, fromFile.Contains(year) || !builtIn.Contains(year) ? "extraDaysFile" : "builtIn", merged.DaysOf(year)))];
    }
}

/// <summary>Deadline policy from the <c>Deadlines</c> section; sector overrides under <c>Deadlines:SectorFixWorkingDays</c>.</summary>
public static class DeadlinePolicies
{
    public static DeadlinePolicy Load(IConfiguration configuration)
    {
        var section = configuration.GetSection("Deadlines");
        var defaults = new DeadlinePolicy();
        var sectors = section.GetSection("SectorFixWorkingDays").GetChildren()
            .ToDictionary(c => c.Key, c => int.Parse(c.Value!, System.Globalization.CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
        return defaults with
        {
            GeneralFixWorkingDays = section.GetValue("GeneralFixWorkingDays", defaults.GeneralFixWorkingDays),
            TriageWorkingDays = section.GetValue("TriageWorkingDays", defaults.TriageWorkingDays),
            VerifyGeneralWorkingDays = section.GetValue("VerifyGeneralWorkingDays", defaults.VerifyGeneralWorkingDays),
            VerifyMajorWorkingDays = section.GetValue("VerifyMajorWorkingDays", defaults.VerifyMajorWorkingDays),
            MajorMaxCalendarDays = section.GetValue("MajorMaxCalendarDays", defaults.MajorMaxCalendarDays),
            SectorFixWorkingDays = sectors.Count > 0 ? sectors : defaults.SectorFixWorkingDays,
        };
    }
}
