using Hazards.Domain.Calendar;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hazards.Api.Features.Calendar;

/// <summary>
/// Degraded while a day of the next <see cref="WarnDays"/> lies in a provisional year. Still
/// HTTP 200: the instance serves, and deadlines there are counted by the law alone until the notice is loaded.
/// </summary>
public sealed class CalendarHealthCheck(CalendarSource calendars, TimeProvider clock) : IHealthCheck
{
    public const int WarnDays = 90;

    public static int? ProvisionalYearAhead(WorkdayCalendar calendar, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        return calendar.FirstProvisionalYear(today, today.AddDays(WarnDays));
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(ProvisionalYearAhead(calendars.Current, now) is { } year
            ? HealthCheckResult.Degraded(
                $"{year} is provisional (the law's holidays only, no make-up workdays): load the State Council's notice for {year} with PUT /api/v1/calendar/{year}")
            : HealthCheckResult.Healthy($"official through {ChinaTime.Today(now).AddDays(WarnDays):yyyy-MM-dd}"));
    }
}
