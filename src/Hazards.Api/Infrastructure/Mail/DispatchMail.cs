using System.Diagnostics;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Pipeline;
using Mediator;
using MimeKit;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>
/// Sends the outbox mail that is due: each mail is claimed, sent, then marked sent, or rescheduled with
/// exponential backoff, or after the last attempt left visibly failed. Doubled or concurrent runs send
/// nothing twice, because only the run whose guarded claim succeeded sends.
/// </summary>
/// <remarks>Each claim and each result commits on its own, so no transaction is held across SMTP.</remarks>
[OwnTransactions]
public sealed record DispatchMailCommand : ICommand<DispatchResult>;

public sealed record DispatchResult(int Sent, int Retried, int Failed);

public sealed class DispatchMailHandler(
    DbSession db, TimeProvider clock, EmailOptions options, IMailTransport transport, IEnumerable<IMailRenderer> renderers,
    ILogger<DispatchMailHandler> logger)
    : ICommandHandler<DispatchMailCommand, DispatchResult>
{
    public const string JobName = "mail:dispatch";

    private const int ErrorLength = 2000;

    private const string DueWhere =
        "status = 'pending' AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until < @Now)";

    internal static readonly Sql Due = new(
        $"SELECT id FROM mail_outbox WHERE {DueWhere} ORDER BY next_attempt_at, id LIMIT @Batch",
        $"SELECT TOP (@Batch) id FROM mail_outbox WHERE {DueWhere} ORDER BY next_attempt_at, id");

    internal static readonly Sql Claim = Sql.Portable($"UPDATE mail_outbox SET claimed_until = @Until WHERE id = @Id AND {DueWhere}");

    internal static readonly Sql Load = Sql.Portable("""
        SELECT id AS Id, message_id AS MessageId, kind AS Kind, to_email AS ToEmail, to_name AS ToName, subject AS Subject,
               html_body AS HtmlBody, text_body AS TextBody, attachment_name AS AttachmentName, attachment_type AS AttachmentType,
               attachment AS Attachment, attempts AS Attempts, created_at AS CreatedAt, render AS Render
        FROM mail_outbox WHERE id = @Id
        """);

    internal static readonly Sql SaveRendered = Sql.Portable("""
        UPDATE mail_outbox SET subject = @Subject, html_body = @HtmlBody, text_body = @TextBody, render = NULL
        WHERE id = @Id AND render IS NOT NULL
        """);

    internal static readonly Sql MarkSent = Sql.Portable("""
        UPDATE mail_outbox SET status = 'sent', attempts = @Attempts, sent_at = @Now, claimed_until = NULL
        WHERE id = @Id AND status = 'pending'
        """);

    internal static readonly Sql MarkFailedAttempt = Sql.Portable("""
        UPDATE mail_outbox SET status = @Status, attempts = @Attempts, last_error = @Error, next_attempt_at = @NextAttemptAt, claimed_until = NULL
        WHERE id = @Id AND status = 'pending'
        """);

    public async ValueTask<DispatchResult> Handle(DispatchMailCommand command, CancellationToken ct)
    {
        var (sent, retried, failed) = (0, 0, 0);
        var started = Stopwatch.GetTimestamp();

        // Batch after batch until the due mail is sent or the run's time is up: a big sweep queues tens of
        // thousands of digests, which one batch a minute would take a day to send. Every mail taken leaves the
        // due set (sent, rescheduled, failed or claimed by another run), so the loop ends.
        while (true)
        {
            var due = await db.Query<Guid>(Due, new { Now = clock.GetUtcNow(), Batch = options.BatchSize }, ct);
            foreach (var id in due)
            {
                var now = clock.GetUtcNow();
                if (await Write(Claim, new { Id = id, Now = now, Until = now + options.ClaimLease }, ct) == 0)
                {
                    continue;
                }

                var row = await db.Single<OutboxRow>(Load, new { Id = id }, ct)
                    ?? throw new InvalidOperationException($"Outbox mail {id} vanished while claimed.");
                var attempts = row.Attempts + 1;
                var (error, unreachable) = await Attempt(row, ct);
                if (error is null)
                {
                    await Write(MarkSent, new { Id = id, Attempts = attempts, Now = clock.GetUtcNow() }, ct);
                    sent++;
                    continue;
                }

                var givingUp = attempts >= options.MaxAttempts;
                logger.LogWarning("Mail {MessageId} to {To}: attempt {Attempt} of {MaxAttempts} failed: {Error}", row.MessageId, row.ToEmail, attempts, options.MaxAttempts, error);
                await Write(MarkFailedAttempt, new
                {
                    Id = id,
                    Status = givingUp ? "failed" : "pending",
                    Attempts = attempts,
                    Error = error.Length > ErrorLength ? error[..ErrorLength] : error,
                    NextAttemptAt = clock.GetUtcNow() + options.BackoffAfter(attempts),
                }, ct);
                if (givingUp)
                {
                    failed++;
                }
                else
                {
                    retried++;
                }

                // A refused message says nothing about the next one; an unreachable server or folder does,
                // so the rest waits for the next run instead of each timing out in turn.
                if (unreachable)
                {
                    return new DispatchResult(sent, retried, failed);
                }
            }

            if (due.Count < options.BatchSize || Stopwatch.GetElapsedTime(started) >= options.DispatchBudget)
            {
                return new DispatchResult(sent, retried, failed);
            }
        }
    }

    private async Task<(string? Error, bool Unreachable)> Attempt(OutboxRow row, CancellationToken ct)
    {
        MimeMessage message;
        try
        {
            await RenderOnce(row, ct);
            message = row.Compose(options);
        }
        catch (Exception ex)
        {
            return (Describe(ex), false);
        }

        try
        {
            await transport.Send(row.Id, message, ct);
            return (null, false);
        }
        catch (MailRejectedException ex)
        {
            return (ex.Message.Trim(), false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return (Describe(ex), true);
        }
    }

    // A mail queued without its body gets it now, stored before the first send so a resend is the same mail.
    private async Task RenderOnce(OutboxRow row, CancellationToken ct)
    {
        if (row.Render is not { } name)
        {
            return;
        }

        var renderer = renderers.FirstOrDefault(r => r.Name == name)
            ?? throw new InvalidOperationException($"No renderer named '{name}' for mail {row.Id}.");
        var rendered = await renderer.Render(new MailToRender(row.Id, row.ToName), ct);
        await Write(SaveRendered, new { row.Id, rendered.Subject, rendered.HtmlBody, rendered.TextBody }, ct);
        (row.Subject, row.HtmlBody, row.TextBody, row.Render) = (rendered.Subject, rendered.HtmlBody, rendered.TextBody, null);
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}".Trim();

    private Task<int> Write(Sql sql, object args, CancellationToken ct) => db.RunInTransaction(() => db.Execute(sql, args, ct), ct);

    private sealed class OutboxRow
    {
        public Guid Id { get; set; }

        public string MessageId { get; set; } = "";

        public string Kind { get; set; } = "";

        public string ToEmail { get; set; } = "";

        public string ToName { get; set; } = "";

        public string Subject { get; set; } = "";

        public string HtmlBody { get; set; } = "";

        public string TextBody { get; set; } = "";

        public string? AttachmentName { get; set; }

        public string? AttachmentType { get; set; }

        public byte[]? Attachment { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public string? Render { get; set; }

        public MimeMessage Compose(EmailOptions options)
        {
            var attachment = Attachment is { } content
                ? new MailAttachment(AttachmentName ?? "attachment", AttachmentType ?? "application/octet-stream", content)
                : null;
            return MailComposer.Compose(new OutgoingMail(Kind, ToEmail, ToName, Subject, HtmlBody, TextBody, attachment), MessageId, CreatedAt, options);
        }
    }
}
