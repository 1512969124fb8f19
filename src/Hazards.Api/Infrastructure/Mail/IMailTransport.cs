using MimeKit;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>Where composed mail leaves the process, chosen by <c>Email:Mode</c>.</summary>
public interface IMailTransport
{
    /// <summary>
    /// Delivers one message. Throws <see cref="MailRejectedException"/> when the server refused this message;
    /// any other exception means the server or folder could not be reached at all.
    /// </summary>
    Task Send(Guid outboxId, MimeMessage message, CancellationToken ct);
}

/// <summary>The server answered and refused this one message; others may still go through.</summary>
public sealed class MailRejectedException(string message, Exception inner) : Exception(message, inner);
