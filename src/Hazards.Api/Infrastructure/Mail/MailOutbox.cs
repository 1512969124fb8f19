using Hangfire;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Jobs;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>
/// Writes mail into the outbox in the caller's transaction, so the mail exists exactly when the decision to
/// send it does; the dispatcher is woken once that transaction commits (design §7).
/// </summary>
public sealed class MailOutbox(DbSession db, TimeProvider clock, MailWakeUp wakeUp)
{
    internal static readonly Sql Insert = Sql.Portable("""
        INSERT INTO mail_outbox (id, message_id, kind, to_email, to_name, subject, html_body, text_body,
                                 attachment_name, attachment_type, attachment, status, attempts, next_attempt_at, created_at)
        VALUES (@Id, @MessageId, @Kind, @ToEmail, @ToName, @Subject, @HtmlBody, @TextBody,
                @AttachmentName, @AttachmentType, @Attachment, 'pending', 0, @Now, @Now)
        """);

    private int enqueued;
    private int woken;

    /// <summary>The Message-ID of an outbox mail, without angle brackets; the same on every resend.</summary>
    public static string MessageIdFor(Guid id) => $"{id:N}@hazards";

    public async Task<Guid> Enqueue(OutgoingMail mail, CancellationToken ct)
    {
        RequireTransaction();

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await db.Execute(Insert, new
        {
            Id = id,
            MessageId = MessageIdFor(id),
            mail.Kind,
            mail.ToEmail,
            mail.ToName,
            mail.Subject,
            mail.HtmlBody,
            mail.TextBody,
            AttachmentName = mail.Attachment?.FileName,
            AttachmentType = mail.Attachment?.ContentType,
            Attachment = mail.Attachment?.Content,
            Now = now,
        }, ct);

        WakeAfterCommit();
        return id;
    }

    /// <summary>
    /// Queues many mails with one INSERT … SELECT of the caller's (rows whose <c>render</c> column names an
    /// <see cref="IMailRenderer"/>, to be written at dispatch); returns how many it queued.
    /// </summary>
    public async Task<int> EnqueueSet(Sql insert, object args, CancellationToken ct)
    {
        RequireTransaction();

        var queued = await db.Execute(insert, args, ct);
        if (queued > 0)
        {
            WakeAfterCommit();
        }

        return queued;
    }

    private void RequireTransaction()
    {
        if (!db.InTransaction)
        {
            throw new InvalidOperationException("Mail is enqueued in the transaction that decides to send it, and none is open.");
        }
    }

    // One wake-up per commit however many mails it carries; a rolled-back transaction drops its callbacks.
    private void WakeAfterCommit()
    {
        var mine = ++enqueued;
        db.AfterCommit(() =>
        {
            if (mine > woken)
            {
                woken = enqueued;
                wakeUp.Wake();
            }

            return Task.CompletedTask;
        });
    }
}

/// <summary>
/// Asks the job server to run <c>mail:dispatch</c> now. Without a job server here (tests, API-only
/// instances) the minute schedule or an explicit dispatch sends the mail. A failed wake-up is only logged:
/// the mail is safely in the outbox and the schedule picks it up.
/// </summary>
public sealed class MailWakeUp(JobsOptions jobs, IServiceProvider services, ILogger<MailWakeUp> logger)
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
