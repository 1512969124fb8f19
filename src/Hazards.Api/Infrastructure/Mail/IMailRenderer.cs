namespace Hazards.Api.Infrastructure.Mail;

/// <summary>
/// Writes the body of an outbox mail that was queued set-based without one (its <c>render</c> column names the
/// renderer). The dispatcher calls it once, when it first takes the mail, and stores what it returns, so every
/// resend of that mail carries the same text.
/// </summary>
public interface IMailRenderer
{
    string Name { get; }

    Task<RenderedMail> Render(MailToRender mail, CancellationToken ct);
}

/// <summary>What a renderer knows of the mail it renders: whose it is and, for a digest, which sweep it covers.</summary>
public sealed record MailToRender(Guid Id, string ToName, Guid? DigestSweepId, Guid? DigestUserId);

public sealed record RenderedMail(string Subject, string HtmlBody, string TextBody);
