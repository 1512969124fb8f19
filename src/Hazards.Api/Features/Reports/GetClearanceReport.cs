using System.Globalization;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Errors;
using Hazards.Api.Infrastructure.Http;
using Hazards.Domain;
using Hazards.Domain.Calendar;
using Hazards.Domain.Inspections;
using Mediator;

namespace Hazards.Api.Features.Reports;

/// <summary>
/// The clearance report of an org unit in the caller's scope (default: the caller's own) for the local days
/// <c>from</c>..<c>to</c> (default: the current ISO week so far), computed live.
/// </summary>
public sealed record GetClearanceReportQuery(string? OrgUnit, string? From, string? To) : IQuery<ClearanceReport>;

public sealed class GetClearanceReportHandler(ClearanceReportBuilder builder, ICurrentUser user, TimeProvider clock)
    : IQueryHandler<GetClearanceReportQuery, ClearanceReport>
{
    public const int MaxDays = 366;

    public async ValueTask<ClearanceReport> Handle(GetClearanceReportQuery query, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.GetUtcNow();
        var (from, to) = Period(query.From, query.To, ChinaTime.Today(now));
        var unit = await builder.FindUnit(query.OrgUnit ?? actor.OrgCode, ct);
        if (unit is null || !actor.CoversPath(unit.Path))
        {
            throw ProblemException.NotFound("org_unit");
        }

        // A unit officer's scope is their units, not an org subtree: their grid's figures would show the
        // grid's other units. Outside their grid they get 404 like everyone else outside their scope.
        if (actor.Role == Role.UnitOfficer)
        {
            throw ProblemException.Forbidden("report.forbidden", "Clearance reports are for grid, township, district and city staff.");
        }

        return await builder.Build(unit, from, to, now, ct);
    }

    /// <summary>Both days inclusive; a <c>to</c> after today is cut to today, the report covering what has happened.</summary>
    public static (DateOnly From, DateOnly To) Period(string? fromText, string? toText, DateOnly today)
    {
        var from = fromText is null ? Hazards.Domain.Inspections.Period.Containing(Cadence.Weekly, today).Start : Day(fromText, "from");
        var to = toText is null ? today : Day(toText, "to");
        if (from > today)
        {
            throw ProblemException.BadRequest("report.period_in_future", "The period must start today or earlier.");
        }

        if (to < from)
        {
            throw ProblemException.BadRequest("report.invalid_period", "to must not be before from.");
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw ProblemException.BadRequest("report.period_too_long", $"A report covers at most {MaxDays} days.");
        }

        return (from, to > today ? today : to);
    }

    private static DateOnly Day(string text, string name) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? Days.InRange(day, name)
            : throw ProblemException.BadRequest("report.invalid_date", $"{name} must be a day like 2026-03-02.");
}
