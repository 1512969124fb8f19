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

/// <summary>What the outbox knows of the mail to render: its id and whose it is. Anything more is the renderer's own data, keyed by the id.</summary>
public sealed record MailToRender(Guid Id, string ToName);

public sealed record RenderedMail(string Subject, string HtmlBody, string TextBody);
