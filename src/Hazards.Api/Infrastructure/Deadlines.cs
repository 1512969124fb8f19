using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;

namespace Hazards.Api.Infrastructure;

/// <summary>
/// The working-day calendar: the embedded State Council data, extended without a release by an admin's CSV
/// file (<c>Calendar:ExtraDaysFile</c>, same columns) whose rows override the embedded ones.
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
