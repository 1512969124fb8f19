using Hazards.Api.Infrastructure.Mail;

namespace Hazards.Api.Features.Escalations;

public static class EscalationsSetup
{
    /// <summary>The sweep's digests are rendered by <see cref="NoticeMailer"/>, which the outbox knows only as a renderer.</summary>
    public static IServiceCollection AddEscalations(this IServiceCollection services) => services.AddMailRenderer<NoticeMailer>();
}
