using System.ComponentModel.DataAnnotations;

namespace Hazards.Api.Infrastructure.Mail;

public enum MailMode
{
    /// <summary>Each mail is written as an <c>.eml</c> file under <see cref="EmailOptions.PickupDirectory"/>.</summary>
    Pickup,

    /// <summary>Each mail is sent to the SMTP server in <see cref="EmailOptions.Smtp"/>.</summary>
    Smtp,
}

/// <summary>The <c>Email</c> section: where mail goes, who it is from, and how the dispatcher retries.</summary>
public sealed class EmailOptions
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromHours(6);

    [EnumDataType(typeof(MailMode))]
    public MailMode Mode { get; set; } = MailMode.Pickup;

    [Required(AllowEmptyStrings = false)]
    public string PickupDirectory { get; set; } = "data/mail";

    [Required, EmailAddress]
    public string From { get; set; } = "hazards@hazards.example";

    public string FromName { get; set; } = "重庆市安全隐患排查治理系统";

    /// <summary>
    /// The public address of the service, for the links in the mail; required outside Development, where a mail's links
    /// must reach the service from a supervisor's phone (Development settings carry the local address).
    /// </summary>
    [Url]
    public string? BaseUrl { get; set; }

    /// <summary><see cref="BaseUrl"/> without its closing slash; set whenever the service started.</summary>
    public string PublicBase => (BaseUrl ?? throw new InvalidOperationException("Email:BaseUrl is not set.")).TrimEnd('/');

    /// <summary>A digest that would list more notices than this lists the most serious this many, counts the rest per child unit and step, and links to a page of all.</summary>
    [Range(1, 1000)]
    public int DigestMaxItems { get; set; } = 20;

    /// <summary>No digest is larger than this (HTML and text together, before transfer encoding); a longer list is summed up instead.</summary>
    [Range(16 * 1024, 10 * 1024 * 1024)]
    public int DigestMaxBytes { get; set; } = 256 * 1024;

    public SmtpOptions Smtp { get; set; } = new();

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    [Range(1, 86_400)]
    public int BackoffSeconds { get; set; } = 60;

    /// <summary>Mails read per query; a run takes batch after batch until nothing is due or <see cref="DispatchSeconds"/> pass.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>How long one dispatch run keeps sending; the next run (every minute, or woken by a commit) goes on.</summary>
    [Range(1, 3600)]
    public int DispatchSeconds { get; set; } = 50;

    public TimeSpan DispatchBudget => TimeSpan.FromSeconds(DispatchSeconds);

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>How long a dispatcher owns a claimed mail: long enough for a connect, a login and a send to time out.</summary>
    public TimeSpan ClaimLease => TimeSpan.FromSeconds(Math.Max(60, TimeoutSeconds * 5));

    /// <summary>What annotations cannot say: the public address outside Development, the SMTP server's address when mail goes to one.</summary>
    public static IEnumerable<string> Check(EmailOptions options, bool development)
    {
        if (!development && string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            yield return "Email:BaseUrl: the service's public address (https://…) is required outside Development: every mail links to it.";
        }
        else if (!development && Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var address) && address.Scheme != Uri.UriSchemeHttps && !address.IsLoopback)
        {
            yield return $"Email:BaseUrl: {options.BaseUrl} is not https; outside Development the mail's links carry their reader's access and must not cross the network in clear (only a loopback address may be http).";
        }

        if (options.Mode != MailMode.Smtp)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            yield return "Email:Smtp:Host: the SMTP server's host is required when Email:Mode is Smtp.";
        }

        if (options.Smtp.Port is < 1 or > 65_535)
        {
            yield return $"Email:Smtp:Port: {options.Smtp.Port} is not a TCP port (1 to 65535).";
        }
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failed attempt: doubling from <see cref="BackoffSeconds"/>, at most six hours.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var seconds = BackoffSeconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return seconds >= LongestBackoff.TotalSeconds ? LongestBackoff : TimeSpan.FromSeconds(seconds);
    }
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 25;

    public bool UseTls { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }
}
