namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// HEAD on a GET route answers as GET would, without the body (RFC 9110 §9.3.2): the request is
/// routed as a GET and what it writes is dropped, so the status and headers are GET's own.
/// </summary>
public static class HeadRequests
{
    /// <summary>Must run before routing, which otherwise matches HEAD against no route and answers 405.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await next(http);
            return;
        }

        var body = http.Response.Body;
        http.Request.Method = HttpMethods.Get;
        http.Response.Body = Stream.Null;
        try
        {
            await next(http);
        }
        finally
        {
            http.Request.Method = HttpMethods.Head;
            http.Response.Body = body;
        }
    });
}
