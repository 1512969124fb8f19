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
}
