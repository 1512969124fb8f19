using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Security;

/// <summary>One mapped endpoint as the route table has it: <c>POST /api/v1/cases/{id:guid}/assign</c>.</summary>
public sealed record Route(string Method, string Pattern)
{
    public override string ToString() => $"{Method} {Pattern}";

    public bool IsWrite => Method is "POST" or "PUT" or "PATCH" or "DELETE";
}

/// <summary>Reads every endpoint the running app maps, so that tests follow the route table instead of a copy of it.</summary>
public static class RouteTable
{
    public static IReadOnlyList<Route> Of(IServiceProvider services)
    {
        var source = services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Route(m, Normalise(e.RoutePattern.RawText ?? ""))))
            .Where(r => r.Method != "HEAD" && r.Method != "OPTIONS")
            .Distinct()
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Group prefixes concatenate as "/cases" + "/" = "/cases/"; the route answers without the slash too.</summary>
    private static string Normalise(string pattern)
    {
        var path = pattern.StartsWith('/') ? pattern : "/" + pattern;
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
