using MimeKit;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>
/// Writes each message as <c>&lt;outbox id&gt;.eml</c> in the pickup folder: first to a temporary file, then
/// moved into place, so a reader never sees half a message and a resend replaces the file instead of adding one.
/// The file holds the bytes SMTP would carry (<see cref="MailComposer.WriteAsSent"/>), so a pickup service can relay it as it is.
/// </summary>
public sealed class PickupMailTransport(EmailOptions options) : IMailTransport
{
    public async Task Send(Guid outboxId, MimeMessage message, CancellationToken ct)
    {
        var folder = Path.GetFullPath(options.PickupDirectory);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, $"{outboxId}.eml");
        var temp = Path.Combine(folder, $".{outboxId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await MailComposer.WriteAsSent(message, file, ct);
                await file.FlushAsync(ct);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
