namespace Hazards.Api.Infrastructure.Mail;

public static class MailSetup
{
    public static IServiceCollection AddHazardsMail(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Email").Get<EmailOptions>() ?? new EmailOptions();
        services.AddSingleton(options);
        services.AddSingleton<MailWakeUp>();
        services.AddScoped<MailOutbox>();
        if (options.Mode == MailMode.Smtp)
        {
            services.AddScoped<IMailTransport, SmtpMailTransport>();
        }
        else
        {
            services.AddSingleton<IMailTransport, PickupMailTransport>();
        }

        return services;
    }
}
