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
        var deadlines = DeadlinePolicies.Load(configuration);
        var ladder = configuration.GetSection("Escalation").Get<LadderPolicy>() ?? new LadderPolicy();
        services.AddSingleton(deadlines);
        services.AddSingleton(ladder);
        services.AddSingleton<CalendarSource>();
        services.AddScoped<CalendarStore>();
        services.AddScoped<DeadlineRecalculation>();
        services.AddTransient<WorkdayCalendar>(sp => sp.GetRequiredService<CalendarSource>().Current);
        services.AddTransient(sp => new DeadlineCalculator(sp.GetRequiredService<CalendarSource>().Current, deadlines));
        services.AddTransient(sp => new EscalationLadder(sp.GetRequiredService<CalendarSource>().Current, ladder));
        services.AddHealthChecks().AddCheck<CalendarHealthCheck>("calendar", tags: ["ready"]);
        return services;
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
