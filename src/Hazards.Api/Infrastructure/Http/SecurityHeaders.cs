namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// Headers every answer carries (OWASP API8). Set when the response starts, so that answers
/// written after an exception handler cleared the headers carry them too.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>JSON answers load nothing and may be framed by no one.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>HTML the API writes itself (a printable report): its own inline styles and images, never a script.</summary>
    public const string HtmlPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

    /// <summary>
    /// The pages behind the mail's links: their own inline style, the case's photos from this service, and a form that
    /// posts only back to it; never a script. The link in the address is a credential, so nothing is cached.
    /// </summary>
    public const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static readonly string[] PagePrefixes = ["/notices", "/digests"];

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Taken now: a mapped branch such as the dashboard moves its prefix into PathBase before the answer starts.
        var path = http.Request.PathBase.Add(http.Request.Path);
        http.Response.OnStarting(() =>
        {
            Apply(http, path);
            return Task.CompletedTask;
        });
        return next(http);
    });

    private static void Apply(HttpContext http, PathString path)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        // The job dashboard frames its own pages and runs its own scripts; Scalar runs scripts of its own too.
        // Both get only a framing rule rather than a script policy that would break them.
        if (path.StartsWithSegments("/hangfire"))
        {
            headers.XFrameOptions = "SAMEORIGIN";
            headers.ContentSecurityPolicy = "frame-ancestors 'self'";
            return;
        }

        headers.XFrameOptions = "DENY";
        if (path.StartsWithSegments("/scalar"))
        {
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return;
        }

        var page = PagePrefixes.Any(p => path.StartsWithSegments(p));
        var html = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
        headers.ContentSecurityPolicy = html && page ? PagePolicy : html ? HtmlPolicy : ApiPolicy;
        if (path.StartsWithSegments("/api") || page)
        {
            headers.CacheControl = "no-store";
        }
    }
}
