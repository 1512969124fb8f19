using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>
/// Writes mail into the outbox in the caller's transaction, so the mail exists exactly when the decision to
/// send it does; the dispatcher is woken once that transaction commits (design §7).
/// </summary>
public sealed class MailOutbox(DbSession db, TimeProvider clock, IMailWakeUp wakeUp)
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
/// Told once a transaction that queued mail has committed, so the mail can leave now rather than at the next
/// scheduled dispatch. How the dispatcher is reached is not the outbox's business (the jobs set it up).
/// </summary>
public interface IMailWakeUp
{
    void Wake();
}
