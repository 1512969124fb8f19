using Hazards.Api.Infrastructure.Errors;

namespace Hazards.Api.Infrastructure.Jobs;

/// <summary>
/// The job dashboard's defences beyond its role check. Its pages are used from a browser with the
/// token in a cookie, so its POSTs carry the antiforgery token Hangfire puts in every page: Hangfire checks it once an
/// <c>IAntiforgery</c> is registered, and a POST from another site, which cannot read the page, is refused (403).
/// Outside Development both cookies are marked Secure by the cookie policy rather than by antiforgery's own option,
/// which would refuse every request that reaches the service as plain HTTP from a proxy that ends TLS.
/// </summary>
public static class DashboardSetup
{
    public const string AntiforgeryCookie = "hazards_dashboard_antiforgery";

    public static IServiceCollection AddDashboardAntiforgery(this IServiceCollection services) =>
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookie;
            options.Cookie.Path = "/hangfire";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

    /// <summary>Outside Development every cookie the service sets (only the dashboard's) is Secure.</summary>
    public static IApplicationBuilder UseSecureCookiesOutsideDevelopment(this IApplicationBuilder app, IHostEnvironment environment) =>
        environment.IsDevelopment() ? app : app.UseCookiePolicy(new CookiePolicyOptions { Secure = CookieSecurePolicy.Always });

    /// <summary>Hangfire's <c>/stats</c> reads a form and fails on a GET (500); it answers POST only.</summary>
    public static IApplicationBuilder UseDashboardStatsGuard(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.Path.Equals("/hangfire/stats", StringComparison.OrdinalIgnoreCase) && !HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = HttpMethods.Post;
            throw new ProblemException(StatusCodes.Status405MethodNotAllowed, "route.method_not_allowed", "The dashboard's stats answer POST only.");
        }

        return next(http);
    });
}
