using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Calendar;

namespace Hazards.Api.Features.Calendar;

/// <summary>A year of the calendar table: who loaded its notice, when, from where, and its version.</summary>
public sealed class CalendarYearRow
{
    public int Year { get; set; }
    public string Source { get; set; } = "";
    public string LoadedBy { get; set; } = "";
    public DateTimeOffset LoadedAt { get; set; }
    public int Version { get; set; }
}

public sealed class CalendarDayRow
{
    public DateOnly Day { get; set; }
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";

    public CalendarDay ToDay() => new(Day, Kind == "workday" ? DayKind.Workday : DayKind.Holiday, Name);
}

/// <summary>The calendar's SQL: the official years and their days, and the stamp that moves with every change.</summary>
public sealed class CalendarStore(DbSession db)
{
    internal static readonly Sql Stamp = Sql.Portable("SELECT stamp FROM calendar_stamp WHERE id = 1");

    internal static readonly Sql BumpStamp = Sql.Portable("UPDATE calendar_stamp SET stamp = stamp + 1 WHERE id = 1");

    internal static readonly Sql Years = Sql.Portable("""
        SELECT year AS Year, source AS Source, loaded_by AS LoadedBy, loaded_at AS LoadedAt, version AS Version FROM calendar_years ORDER BY year
        """);

    internal static readonly Sql Year = Sql.Portable("""
        SELECT year AS Year, source AS Source, loaded_by AS LoadedBy, loaded_at AS LoadedAt, version AS Version FROM calendar_years WHERE year = @Year
        """);

    internal static readonly Sql AllDays = Sql.Portable("SELECT day AS Day, kind AS Kind, name AS Name FROM calendar_days ORDER BY day");

    internal static readonly Sql DaysOfYear = Sql.Portable("SELECT day AS Day, kind AS Kind, name AS Name FROM calendar_days WHERE year = @Year ORDER BY day");

    internal static readonly Sql InsertYearIfMissing = Sql.Portable("""
        INSERT INTO calendar_years (year, source, loaded_by, loaded_at, version)
        SELECT @Year, @Source, @LoadedBy, @LoadedAt, 1 WHERE NOT EXISTS (SELECT 1 FROM calendar_years WHERE year = @Year)
        """);

    internal static readonly Sql UpdateYear = Sql.Portable("""
        UPDATE calendar_years SET source = @Source, loaded_by = @LoadedBy, loaded_at = @LoadedAt, version = version + 1
        WHERE year = @Year AND version = @Version
        """);

    internal static readonly Sql DeleteDays = Sql.Portable("DELETE FROM calendar_days WHERE year = @Year");

    internal static readonly Sql InsertDay = Sql.Portable("INSERT INTO calendar_days (day, year, kind, name) VALUES (@Day, @Year, @Kind, @Name)");

    public Task<long> ReadStamp(CancellationToken ct) => db.Scalar<long>(Stamp, null, ct);

    public Task<CalendarYearRow?> FindYear(int year, CancellationToken ct) => db.Single<CalendarYearRow>(Year, new { Year = year }, ct);

    public Task<IReadOnlyList<CalendarDayRow>> DaysOf(int year, CancellationToken ct) => db.Query<CalendarDayRow>(DaysOfYear, new { Year = year }, ct);

    /// <summary>The whole calendar as the database holds it, read in the caller's session (and transaction, if any).</summary>
    public async Task<(WorkdayCalendar Calendar, long Stamp)> Read(CancellationToken ct)
    {
        var stamp = await ReadStamp(ct);
        var years = await db.Query<CalendarYearRow>(Years, null, ct);
        var days = await db.Query<CalendarDayRow>(AllDays, null, ct);
        return (new WorkdayCalendar(days.Select(d => d.ToDay()), years.Select(y => y.Year)), stamp);
    }

    /// <summary>Adds a year that the database lacks; false when it has it already (a year in the database is changed only by PUT).</summary>
    public async Task<bool> AddYear(int year, string source, string loadedBy, DateTimeOffset at, IEnumerable<CalendarDay> days, CancellationToken ct)
    {
        if (await db.Execute(InsertYearIfMissing, new { Year = year, Source = source, LoadedBy = loadedBy, LoadedAt = at }, ct) == 0)
        {
            return false;
        }

        await InsertDays(year, days, ct);
        return true;
    }

    /// <summary>Replaces a year's days, checked against the version read; false when the version is stale.</summary>
    public async Task<bool> ReplaceYear(int year, int version, string loadedBy, DateTimeOffset at, IEnumerable<CalendarDay> days, CancellationToken ct)
    {
        var args = new { Year = year, Source = "api", LoadedBy = loadedBy, LoadedAt = at, Version = version };
        var changed = version == 0
            ? await db.Execute(InsertYearIfMissing, args, ct)
            : await db.Execute(UpdateYear, args, ct);
        if (changed == 0)
        {
            return false;
        }

        await db.Execute(DeleteDays, new { Year = year }, ct);
        await InsertDays(year, days, ct);
        return true;
    }

    public Task BumpTheStamp(CancellationToken ct) => db.Execute(BumpStamp, null, ct);

    private async Task InsertDays(int year, IEnumerable<CalendarDay> days, CancellationToken ct)
    {
        var rows = days.Select(d => new { Day = d.Date, Year = year, Kind = d.Kind == DayKind.Workday ? "workday" : "holiday", d.Name }).ToList();
        if (rows.Count > 0)
        {
            await db.Execute(InsertDay, rows, ct);
        }
    }
}
