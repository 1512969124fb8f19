using System.Diagnostics;
using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Data;
using Hazards.Domain.Calendar;

namespace Hazards.Api.Features.Calendar;

/// <summary>
/// The calendar every instance computes with: the database's, held in memory as one snapshot with the stamp
/// it was read at. An instance notices another's change by reading the one-row stamp (at most once per
/// <c>Calendar:StampCheckMilliseconds</c>, before a request and before every job) and reloads only when it
/// moved. Until the database answers, the starting data (built-in years and Calendar:ExtraDaysFile) serve.
/// </summary>
public sealed class CalendarSource(IServiceScopeFactory scopes, CalendarOptions options, TimeProvider clock, ILogger<CalendarSource> logger)
{
    private readonly SemaphoreSlim loading = new(1, 1);
    private readonly TimeSpan checkEvery = TimeSpan.FromMilliseconds(options.StampCheckMilliseconds);
    private readonly IReadOnlyList<StartYear> startData = WorkdayCalendars.StartData(options);
    private volatile Snapshot current = new(WorkdayCalendars.Load(options), -1);
    private bool seeded;
    private long checkedAt = long.MinValue;

    public WorkdayCalendar Current => current.Calendar;

    public long Stamp => current.Stamp;

    /// <summary>Makes the snapshot current when the stamp moved (or always, when <paramref name="force"/>); a database that does not answer keeps the last one.</summary>
    public async Task Refresh(bool force, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        if (!force && seeded && Stopwatch.GetElapsedTime(Interlocked.Read(ref checkedAt), now) < checkEvery)
        {
            return;
        }

        if (!await loading.WaitAsync(force ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, ct))
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            var store = new CalendarStore(db);
            if (!seeded)
            {
                await Seed(db, store, ct);
                seeded = true;
            }

            if (await store.ReadStamp(ct) != current.Stamp)
            {
                var (calendar, stamp) = await store.Read(ct);
                current = new Snapshot(calendar, stamp);
                logger.LogInformation("Calendar loaded at stamp {Stamp}: official years {Years}", stamp, string.Join(", ", calendar.OfficialYears));
            }

            Interlocked.Exchange(ref checkedAt, now);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not read the calendar from the database; keeping the one loaded at stamp {Stamp}", current.Stamp);
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>After this instance's own change committed: no need to wait for the next stamp check.</summary>
    public void Publish(WorkdayCalendar calendar, long stamp)
    {
        if (stamp > current.Stamp)
        {
            current = new Snapshot(calendar, stamp);
        }
    }

    // Every instance may start at once: a year another one added first is simply skipped.
    private async Task Seed(DbSession db, CalendarStore store, CancellationToken ct)
    {
        try
        {
            await db.RunInTransaction(async () =>
            {
                var added = 0;
                foreach (var year in startData)
                {
                    added += await store.AddYear(year.Year, year.Source, "system", clock.GetUtcNow(), year.Days, ct) ? 1 : 0;
                }

                if (added > 0)
                {
                    await store.BumpTheStamp(ct);
                }
            }, ct);
        }
        catch (Exception ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Rolled back: another instance seeded the year first.
        }
    }

    private sealed record Snapshot(WorkdayCalendar Calendar, long Stamp);
}

/// <summary>Loads the calendar once migrations ran, before the server takes requests.</summary>
public sealed class CalendarStartup(CalendarSource calendars) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => calendars.Refresh(force: true, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
