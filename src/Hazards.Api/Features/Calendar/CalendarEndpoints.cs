using Hazards.Api.Infrastructure.Http;
using Mediator;

namespace Hazards.Api.Features.Calendar;

public static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendar(this RouteGroupBuilder api)
    {
        var calendar = api.MapGroup("/calendar").WithTags("Calendar");
        calendar.MapGet("/{year:int}", async (int year, ISender s, HttpContext h, CancellationToken ct) =>
            Year(h, await s.Send(new GetCalendarYearQuery(year), ct))).WithName("GetCalendarYear");
        calendar.MapPut("/{year:int}", async (int year, ReplaceCalendarYearCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            Year(h, await s.Send(body with { Year = year, Version = Versions.RequireIfMatch(h) }, ct))).WithName("ReplaceCalendarYear");
        return api;
    }

    private static Ok<CalendarYearView> Year(HttpContext http, CalendarYearView view)
    {
        Versions.SetETag(http, view.Version);
        return TypedResults.Ok(view);
    }
}
