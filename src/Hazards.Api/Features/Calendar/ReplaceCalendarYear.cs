using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Mediator;

namespace Hazards.Api.Features.Calendar;

public sealed record CalendarDayInput(
    DateOnly? Date,
    DayKind? Kind,
    [property: MaxLength(ReplaceCalendarYearHandler.MaxNameLength)] string? Name);

/// <summary>
/// Loads the State Council's notice for a year: every holiday and make-up workday of the year with its name,
/// replacing what was known of the year at once, checked against the year's version (0 while provisional).
/// </summary>
public sealed record ReplaceCalendarYearCommand(
    [property: MaxLength(366)] IReadOnlyList<CalendarDayInput>? Days,
    [property: JsonIgnore] int Year = 0,
    [property: JsonIgnore] int Version = 0) : ICommand<CalendarYearView>;

public sealed class ReplaceCalendarYearHandler(
    CalendarStore store, CalendarSource calendars, DeadlineRecalculation recalculation, Infrastructure.Data.DbSession db, ICurrentUser user, TimeProvider clock)
    : ICommandHandler<ReplaceCalendarYearCommand, CalendarYearView>
{
    public const int MaxNameLength = 50;

    public async ValueTask<CalendarYearView> Handle(ReplaceCalendarYearCommand command, CancellationToken ct)
    {
        var actor = user.Actor;
        if (actor.Role != Role.CityAdmin)
        {
            throw ProblemException.Forbidden("calendar.forbidden", "Only the city's administrators load the State Council's notice.");
        }

        CalendarYears.Require(command.Year);
        var days = Check(command.Year, command.Days);
        var now = clock.GetUtcNow();

        // The stamp moves first: its row lock orders concurrent loads, so each reads the calendar the one before it left.
        await store.BumpTheStamp(ct);
        var (before, stamp) = await store.Read(ct);
        if (!await store.ReplaceYear(command.Year, command.Version, actor.Login, now, days, ct))
        {
            throw ProblemException.StaleVersion();
        }

        var after = new WorkdayCalendar(before.Days.Where(d => d.Date.Year != command.Year).Concat(days), before.OfficialYears.Append(command.Year));
        var recalculated = await recalculation.Run(before, after, command.Year, actor, now, ct);
        db.AfterCommit(() =>
        {
            calendars.Publish(after, stamp);
            return Task.CompletedTask;
        });
        return await CalendarYears.View(store, command.Year, recalculated, ct);
    }

    /// <summary>The notice's days, or the first thing wrong with them as a 400 with a stable code.</summary>
    public static IReadOnlyList<CalendarDay> Check(int year, IReadOnlyList<CalendarDayInput>? input)
    {
        if (input is null || input.Count == 0)
        {
            throw ProblemException.BadRequest("calendar.empty_year", "List every holiday and make-up workday of the year; an empty year is no notice.");
        }

        var days = new List<CalendarDay>(input.Count);
        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < input.Count; i++)
        {
            var day = input[i];
            if (day?.Date is not { } date || day.Kind is not { } kind || string.IsNullOrWhiteSpace(day.Name) || day.Name.Length > MaxNameLength
                || !Enum.IsDefined(kind) || day.Name.Any(char.IsControl))
            {
                throw ProblemException.BadRequest("calendar.day_invalid",
                    $"days[{i}] needs a date, a kind (holiday or workday) and a name of at most {MaxNameLength} characters.");
            }

            if (date.Year != year)
            {
                throw ProblemException.BadRequest("calendar.day_outside_year", $"days[{i}] {date:yyyy-MM-dd} is not in {year}.");
            }

            if (!seen.Add(date))
            {
                throw ProblemException.BadRequest("calendar.day_twice", $"days[{i}] {date:yyyy-MM-dd} is listed twice.");
            }

            if (kind == DayKind.Workday && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                throw ProblemException.BadRequest("calendar.workday_not_weekend",
                    $"days[{i}] {date:yyyy-MM-dd} is a {date.DayOfWeek}: a make-up workday (调休) is a weekend day that is worked.");
            }

            days.Add(new CalendarDay(date, kind, day.Name.Trim()));
        }

        return days;
    }
}
