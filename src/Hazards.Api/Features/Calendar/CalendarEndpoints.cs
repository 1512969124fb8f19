using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Calendar;

public static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendar(this RouteGroupBuilder api)
    {
        var calendar = api.MapGroup("/calendar").WithTags("Calendar");
        calendar.MapGet("/{year:int}", (int year, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(new GetCalendarYearQuery(year), ct).Tagged(h, y => y.Version)).WithName("GetCalendarYear");
        calendar.MapPut("/{year:int}", (int year, ReplaceCalendarYearCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(body with { Year = year, Version = Versions.RequireIfMatch(h) }, ct).Tagged(h, y => y.Version)).WithName("ReplaceCalendarYear");
        return api;
    }
}
