using System.ComponentModel.DataAnnotations;
using Hazards.Api.Infrastructure.Http;
using Hazards.Api.Infrastructure.OpenApi;
using Mediator;

namespace Hazards.Api.Features.Calendar;

public static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendar(this RouteGroupBuilder api)
    {
        var calendar = api.MapGroup("/calendar").WithTags("Calendar");
        calendar.MapGet("/{year:int}", ([Range(CalendarYears.First, CalendarYears.Last)] int year, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(new GetCalendarYearQuery(year), ct).Tagged(h, y => y.Version)).WithName("GetCalendarYear").WithETag();
        calendar.MapPut("/{year:int}", ([Range(CalendarYears.First, CalendarYears.Last)] int year, ReplaceCalendarYearCommand body, ISender s, HttpContext h, CancellationToken ct) =>
            s.Send(body with { Year = year, Version = Versions.RequireIfMatch(h) }, ct).Tagged(h, y => y.Version)).WithName("ReplaceCalendarYear").WithIfMatch();
        return api;
    }
}
