namespace Hazards.Api.Infrastructure.Mail;

/// <summary>One mail to one recipient, as a mail writer hands it to the <see cref="MailOutbox"/>.</summary>
public sealed record OutgoingMail(
    string Kind,
    string ToEmail,
    string ToName,
    string Subject,
    string HtmlBody,
    string TextBody,
    MailAttachment? Attachment = null);

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);
