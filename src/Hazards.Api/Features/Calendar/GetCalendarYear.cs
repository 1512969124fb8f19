using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.Calendar;

/// <summary>A non-ordinary day: a holiday, or a make-up workday (调休) on a weekend.</summary>
public sealed record CalendarDayView(DateOnly Date, DayKind Kind, string Name);

/// <summary>
/// A year of the calendar: <c>official</c> when the State Council's notice is loaded (with who loaded it, when
/// and from where), else <c>provisional</c> (the law's holidays, computed; version 0).
/// </summary>
public sealed record CalendarYearView(
    int Year, YearStatus Status, int Version, string? Source, string? LoadedBy, DateTimeOffset? LoadedAt, IReadOnlyList<CalendarDayView> Days,
    RecalculatedDeadlines? Recalculated = null);

public sealed record GetCalendarYearQuery(int Year) : IQuery<CalendarYearView>;

public sealed class GetCalendarYearHandler(CalendarStore store) : IQueryHandler<GetCalendarYearQuery, CalendarYearView>
{
    public async ValueTask<CalendarYearView> Handle(GetCalendarYearQuery query, CancellationToken ct)
    {
        CalendarYears.Require(query.Year);
        return await CalendarYears.View(store, query.Year, null, ct);
    }
}

public static class CalendarYears
{
    /// <summary>The years the API takes: the law's computation covers 1902–2100; before 2000 there is nothing to load.</summary>
    public const int First = 2000;

    public const int Last = StatutoryHolidays.LastYear;

    public static void Require(int year)
    {
        if (year is < First or > Last)
        {
            throw ProblemException.BadRequest("calendar.year_out_of_range", $"The calendar covers the years {First}–{Last}.");
        }
    }

    public static async Task<CalendarYearView> View(CalendarStore store, int year, RecalculatedDeadlines? recalculated, CancellationToken ct)
    {
        if (await store.FindYear(year, ct) is not { } row)
        {
            return new CalendarYearView(year, YearStatus.Provisional, 0, null, null, null,
                [.. StatutoryHolidays.For(year).Select(d => new CalendarDayView(d.Date, d.Kind, d.Name))], recalculated);
        }

        var days = await store.DaysOf(year, ct);
        return new CalendarYearView(year, YearStatus.Official, row.Version, row.Source, row.LoadedBy, row.LoadedAt,
            [.. days.Select(d => d.ToDay()).Select(d => new CalendarDayView(d.Date, d.Kind, d.Name))], recalculated);
    }
}
