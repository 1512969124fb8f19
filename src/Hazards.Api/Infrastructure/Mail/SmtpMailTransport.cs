using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hazards.Api.Infrastructure.Mail;

/// <summary>
/// Sends a dispatch run's mail over one SMTP connection: the transport lives as long as the run's scope, connects
/// for the first mail and reuses the connection for the next, so a backlog of digests does not pay a connect and
/// a login per mail. After any failure the connection is dropped, so a broken one never carries the next mail; a
/// send that fails on a reused connection is tried once more on a new one, since the server may simply have closed
/// it while idle (as with every retry, the mail's stable Message-ID lets a receiver recognise a repeat). The run's
/// end closes it with QUIT.
/// </summary>
public sealed class SmtpMailTransport(EmailOptions options) : IMailTransport, IAsyncDisposable
{
    private SmtpClient? client;

    public async Task Send(Guid outboxId, MimeMessage message, CancellationToken ct)
    {
        var reused = client is { IsConnected: true };
        try
        {
            await SendOnce(message, ct);
        }
        catch (Exception ex) when (reused && ex is not (MailRejectedException or OperationCanceledException))
        {
            await SendOnce(message, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client is not { } open)
        {
            return;
        }

        client = null;
        try
        {
            if (open.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
                await open.DisconnectAsync(quit: true, quit.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SmtpProtocolException or System.Net.Sockets.SocketException)
        {
            // Every mail of the run is already marked; a QUIT that fails changes nothing.
        }
        finally
        {
            open.Dispose();
        }
    }

    private async Task SendOnce(MimeMessage message, CancellationToken ct)
    {
        var connected = await Connected(ct);
        try
        {
            await connected.SendAsync(message, ct);
        }
        catch (SmtpCommandException ex)
        {
            Drop();
            throw new MailRejectedException($"{(int)ex.StatusCode} {ex.Message}", ex);
        }
        catch
        {
            Drop();
            throw;
        }
    }

    private async Task<SmtpClient> Connected(CancellationToken ct)
    {
        if (client is { IsConnected: true } open)
        {
            return open;
        }

        Drop();
        var smtp = options.Smtp;
        var fresh = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        try
        {
            await fresh.ConnectAsync(smtp.Host, smtp.Port, smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await fresh.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
            }
        }
        catch
        {
            fresh.Dispose();
            throw;
        }

        return client = fresh;
    }

    private void Drop()
    {
        client?.Dispose();
        client = null;
    }
}
