using Hazards.Api.Infrastructure;
using Hazards.Domain.Calendar;
using Hazards.Domain.Deadlines;
using Hazards.Domain.Escalation;

namespace Hazards.Api.Features.Calendar;

public static class CalendarSetup
{
    /// <summary>
    /// The calculators are made afresh from the current snapshot each time they are resolved (cheap: they only
    /// hold the calendar and the policy), so a handler computes with the calendar as it was when it started.
    /// </summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStartupOptions(configuration, "Calendar", new CalendarOptions(), CalendarOptions.Check);
        var deadlines = DeadlinePolicies.Add(services, configuration);
        var ladder = services.AddStartupOptions(configuration, "Escalation", new LadderPolicy(), LadderPolicies.Check);
        services.AddSingleton<CalendarSource>();
        services.AddScoped<CalendarStore>();
        services.AddScoped<DeadlineRecalculation>();
        services.AddTransient<WorkdayCalendar>(sp => sp.GetRequiredService<CalendarSource>().Current);
        services.AddTransient(sp => new DeadlineCalculator(sp.GetRequiredService<CalendarSource>().Current, deadlines));
        services.AddTransient(sp => new EscalationLadder(sp.GetRequiredService<CalendarSource>().Current, ladder));
        services.AddHealthChecks().AddCheck<CalendarHealthCheck>("calendar", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The ladder's steps are working days overdue, each later than the one before; a step counted in misses needs
    /// at least one miss.
    /// </summary>
    private static class LadderPolicies
    {
        public static IEnumerable<string> Check(LadderPolicy p)
        {
            foreach (var (key, value) in new[]
            {
                ("WarnWorkingDaysBefore", p.WarnWorkingDaysBefore), ("ReminderWorkingDaysOverdue", p.ReminderWorkingDaysOverdue),
                ("ReworksForWarning", p.ReworksForWarning), ("RespondWorkingDays", p.RespondWorkingDays),
            })
            {
                if (value is < 0 or > 365)
                {
                    yield return $"Escalation:{key}: {value} is not between 0 and 365 working days.";
                }
            }

            if (p.AcknowledgeHours is < 1 or > 720)
            {
                yield return $"Escalation:AcknowledgeHours: {p.AcknowledgeHours} is not between 1 and 720 hours.";
            }

            var steps = new[]
            {
                ("ReminderWorkingDaysOverdue", p.ReminderWorkingDaysOverdue), ("WarningWorkingDaysOverdue", p.WarningWorkingDaysOverdue),
                ("CircularWorkingDaysOverdue", p.CircularWorkingDaysOverdue), ("ExposureWorkingDaysOverdue", p.ExposureWorkingDaysOverdue),
            };
            for (var i = 1; i < steps.Length; i++)
            {
                if (steps[i].Item2 <= steps[i - 1].Item2 || steps[i].Item2 > 365)
                {
                    yield return $"Escalation:{steps[i].Item1}: {steps[i].Item2} must be after Escalation:{steps[i - 1].Item1} ({steps[i - 1].Item2}) and at most 365.";
                }
            }

            foreach (var (key, value) in new[]
            {
                ("DailyMissesPerStep", p.DailyMissesPerStep), ("WeeklyMissesPerStep", p.WeeklyMissesPerStep), ("MonthlyMissesPerStep", p.MonthlyMissesPerStep),
            })
            {
                if (value is < 1 or > 1000)
                {
                    yield return $"Escalation:{key}: {value} is not between 1 and 1000 misses.";
                }
            }
        }
    }

    /// <summary>Before a request: the stamp check, at most once per Calendar:StampCheckMilliseconds.</summary>
    public static WebApplication UseCalendarRefresh(this WebApplication app)
    {
        var calendars = app.Services.GetRequiredService<CalendarSource>();
        app.Use(async (http, next) =>
        {
            await calendars.Refresh(force: false, http.RequestAborted);
            await next(http);
        });
        return app;
    }
}
