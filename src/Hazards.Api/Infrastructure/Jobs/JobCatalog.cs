using Hazards.Api.Features.Calendar;
using Hazards.Api.Features.Escalations;
using Hazards.Api.Features.Inspections;
using Hazards.Api.Features.Reports;
using Hazards.Api.Infrastructure.Mail;
using Mediator;

namespace Hazards.Api.Infrastructure.Jobs;

/// <summary>A recurring sweep: a stable id, its schedule in Asia/Shanghai, and the message that does the work.</summary>
public sealed record JobDefinition(string Name, string Cron, Func<IMessage> Command);

/// <summary>
/// Every sweep the service runs. Each recomputes what is due from the database, so a missed, late or
/// doubled run is harmless.
/// </summary>
public static class JobCatalog
{
    public static readonly IReadOnlyList<JobDefinition> All =
    [
        new("cadence:sweep", "*/15 * * * *", () => new SweepMissedChecksCommand()),
        new("cases:escalate", "*/15 * * * *", () => new EscalateCasesCommand()),
        new(DispatchMailHandler.JobName, "* * * * *", () => new DispatchMailCommand()),
        new(SendWeeklyReportsHandler.JobName, "0 8 * * 1", () => new SendWeeklyReportsCommand()),
        new(RemindCalendarHandler.JobName, "5 * * * *", () => new RemindCalendarCommand()),
    ];

    public static JobDefinition? Find(string name) => All.FirstOrDefault(j => j.Name == name);
}

/// <summary>The thin Hangfire job: its argument is a name, the work is the command's handler.</summary>
public sealed class SweepJob(ISender sender, CalendarSource calendars, Hangfire.JobStorage storage, ILogger<SweepJob> logger)
{
    /// <summary>One run per job name at a time across instances; different sweeps do not wait for each other.</summary>
    [Hangfire.AutomaticRetry(Attempts = 3)]
    public async Task Run(string name, CancellationToken ct)
    {
        using var connection = storage.GetConnection();
        using var runLock = connection.AcquireDistributedLock($"hazards:job:{name}", TimeSpan.FromMinutes(10));
        var result = await RunNow(sender, calendars, name, ct);
        logger.LogInformation("Job {Job} finished: {Result}", name, result);
    }

    /// <summary>Runs a sweep with the calendar as the database holds it now: a notice another instance loaded counts at once.</summary>
    public static async Task<object?> RunNow(ISender sender, CalendarSource calendars, string name, CancellationToken ct)
    {
        var job = JobCatalog.Find(name) ?? throw new ArgumentException($"No job named '{name}'.", nameof(name));
        await calendars.Refresh(force: true, ct);
        return await sender.Send((object)job.Command(), ct);
    }
}
