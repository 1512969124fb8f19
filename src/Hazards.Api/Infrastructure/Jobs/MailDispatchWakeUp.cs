using Hangfire;
using Hazards.Api.Infrastructure.Mail;

namespace Hazards.Api.Infrastructure.Jobs;

/// <summary>
/// Asks the job server to run <c>mail:dispatch</c> now. Without a job server here (tests, API-only
/// instances) the minute schedule or an explicit dispatch sends the mail. A failed wake-up is only logged:
/// the mail is safely in the outbox and the schedule picks it up.
/// </summary>
public sealed class MailDispatchWakeUp(JobServerPlacement jobs, IServiceProvider services, ILogger<MailDispatchWakeUp> logger) : IMailWakeUp
{
    public void Wake()
    {
        if (!jobs.RunsServer && !jobs.SharedStorage)
        {
            return;
        }

        try
        {
            services.GetRequiredService<IBackgroundJobClient>()
                .Enqueue<SweepJob>(j => j.Run(DispatchMailHandler.JobName, CancellationToken.None));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not wake the mail dispatcher; the schedule will send the mail");
        }
    }
}
