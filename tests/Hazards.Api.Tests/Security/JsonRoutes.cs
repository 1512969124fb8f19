using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Security;

/// <summary>The routes of the route table that read a JSON body, each with a matrix row and a caller the row lets through.</summary>
public static class JsonRoutes
{
    public static IReadOnlyList<Route> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .SelectMany(e => RouteTable.Of(services).Where(r => r.Pattern == "/" + e.RoutePattern.RawText!.Trim('/')
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(r.Method) == true))
            .Distinct()
            .ToList();

    /// <summary>The first matrix row of the route and the first caller it expects to succeed.</summary>
    public static (MatrixEntry Entry, Caller Caller) Accepting(Route route)
    {
        var entry = Probes.All.FirstOrDefault(e => e.Route == route)
            ?? throw new InvalidOperationException($"{route} has no row in Probes.All");
        var caller = Caller.All.FirstOrDefault(c => entry.Expect.For(c) is >= 200 and < 300)
            ?? throw new InvalidOperationException($"{entry} lets no caller through");
        return (entry, caller);
    }
}
