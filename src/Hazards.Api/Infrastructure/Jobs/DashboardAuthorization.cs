using Hangfire.Dashboard;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Hazards.Api.Infrastructure.Jobs;

/// <summary>
/// The job dashboard is for city admins: the bearer token comes in the Authorization header, or once as
/// <c>?access_token=</c>, which is then kept in an HTTP-only cookie for the dashboard's own requests.
/// No token → 401, another role → 403. Outside Development the cookie policy marks the cookie Secure, and the
/// dashboard's POSTs need its antiforgery token (<see cref="DashboardSetup"/>).
/// </summary>
public sealed class DashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public const string Cookie = "hazards_dashboard_token";

    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            return false;
        }

        http.User = result.Principal;
        if (http.Request.Query.TryGetValue("access_token", out var token))
        {
            http.Response.Cookies.Append(Cookie, token.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = "/hangfire",
            });
        }

        return http.Items[typeof(Actor)] is Actor { Role: Role.CityAdmin };
    }

    /// <summary>Where the bearer handler finds a dashboard token that is not in the Authorization header.</summary>
    public static string? TokenFor(HttpRequest request) =>
        !request.Path.StartsWithSegments("/hangfire") ? null
        : request.Query.TryGetValue("access_token", out var query) ? query.ToString()
        : request.Cookies.TryGetValue(Cookie, out var cookie) ? cookie
        : null;
}
