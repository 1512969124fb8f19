namespace Hazards.Api.Infrastructure.Mail;

public static class MailSetup
{
    public static IServiceCollection AddHazardsMail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        var options = services.AddStartupOptions(configuration, "Email", new EmailOptions(), o => EmailOptions.Check(o, development));
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

    /// <summary>A feature's renderer of mail queued without a body, found by the dispatcher through its <see cref="IMailRenderer.Name"/>.</summary>
    public static IServiceCollection AddMailRenderer<TRenderer>(this IServiceCollection services)
        where TRenderer : class, IMailRenderer
    {
        services.AddScoped<TRenderer>();
        services.AddScoped<IMailRenderer>(sp => sp.GetRequiredService<TRenderer>());
        return services;
    }
}
