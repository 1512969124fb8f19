using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>Sends each message over its own SMTP connection, so a broken connection never outlives one mail.</summary>
public sealed class SmtpMailTransport(EmailOptions options) : IMailTransport
{
    public async Task Send(Guid outboxId, MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Smtp;
        using var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        }

        try
        {
            await client.SendAsync(message, ct);
        }
        catch (SmtpCommandException ex)
        {
            throw new MailRejectedException($"{(int)ex.StatusCode} {ex.Message}", ex);
        }

        await client.DisconnectAsync(quit: true, ct);
    }
}
