using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Mail;

namespace Hazards.Api.Features.Escalations;

public static class EscalationsSetup
{
    /// <summary>
    /// The sweep's digests are rendered by <see cref="NoticeMailer"/>, which the outbox knows only as a renderer; their
    /// links are signed by <see cref="NoticeLinks"/> with <c>Mail:LinkKey</c> or a key derived from <c>Auth:SigningKey</c>.
    /// </summary>
    public static IServiceCollection AddEscalations(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var authKey = configuration["Auth:SigningKey"];
        var links = services.AddStartupOptions(configuration, "Mail", new MailLinkOptions(),
            o => MailLinkOptions.Check(o, authKey, environment.IsDevelopment(), environment.ContentRootPath));
        services.AddSingleton(sp => new NoticeLinks(links, sp.GetRequiredService<EmailOptions>(), NoticeLinks.Key(links, authKey)));
        services.AddScoped<NoticeAcknowledgements>();
        services.AddScoped<NoticePageReader>();
        return services.AddMailRenderer<NoticeMailer>();
    }
}
