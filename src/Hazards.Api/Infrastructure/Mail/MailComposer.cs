using MimeKit;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>The one place an outbox mail becomes a MIME message, for every transport alike.</summary>
public static class MailComposer
{
    public const string KindHeader = "X-Hazards-Kind";

    public static MimeMessage Compose(OutgoingMail mail, string messageId, DateTimeOffset date, EmailOptions options)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.From));
        message.To.Add(new MailboxAddress(mail.ToName, mail.ToEmail));
        message.Subject = mail.Subject;
        message.MessageId = messageId;
        message.Date = date;
        message.Headers.Add(KindHeader, mail.Kind);

        var body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody };
        if (mail.Attachment is { } attachment)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>
    /// Writes the message the way MailKit's SMTP client puts it on the wire to a server without 8BITMIME: every part
    /// given a 7-bit Content-Transfer-Encoding (quoted-printable or base64 where the text needs it), lines at most 78
    /// characters where they can be folded, CRLF line ends.
    /// </summary>
    public static async Task WriteAsSent(MimeMessage message, Stream target, CancellationToken ct)
    {
        message.Prepare(EncodingConstraint.SevenBit, 78);
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        await message.WriteToAsync(format, target, ct);
    }
}
