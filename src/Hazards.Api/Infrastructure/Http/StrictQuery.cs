using System.Collections.Frozen;
using Hazards.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// A query parameter the endpoint does not bind is refused (issue 19, item 3): <c>?code=</c> on a list that cannot
/// filter by code must not answer everything as if it had. The parameters each endpoint takes are the ones the API
/// explorer describes for it (its handler's query parameters, <c>[AsParameters]</c> records expanded), so the
/// document and this check cannot disagree. Endpoints the explorer does not describe are left alone.
/// </summary>
public static class StrictQuery
{
    public const string Code = "query.unknown_parameter";

    /// <summary>Must run after routing, so that the endpoint is known.</summary>
    public static IApplicationBuilder UseStrictQuery(this IApplicationBuilder app)
    {
        var known = new Lazy<FrozenDictionary<string, FrozenSet<string>>>(() =>
            Index(app.ApplicationServices.GetRequiredService<IApiDescriptionGroupCollectionProvider>()));
        return app.Use((http, next) =>
        {
            if (http.Request.Query.Count > 0
                && http.GetEndpoint()?.DisplayName is { } name
                && known.Value.TryGetValue(name, out var parameters)
                && http.Request.Query.Keys.FirstOrDefault(k => !parameters.Contains(k)) is { } unknown)
            {
                throw Unknown(unknown, parameters);
            }

            return next(http);
        });
    }

    private static FrozenDictionary<string, FrozenSet<string>> Index(IApiDescriptionGroupCollectionProvider explorer) =>
        explorer.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Where(d => d.ActionDescriptor.DisplayName is not null)
            .GroupBy(d => d.ActionDescriptor.DisplayName!)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.SelectMany(d => d.ParameterDescriptions)
                    .Where(p => p.Source == BindingSource.Query || p.Source == BindingSource.ModelBinding)
                    .Select(p => p.Name)
                    .ToFrozenSet(StringComparer.OrdinalIgnoreCase));

    private static ProblemException Unknown(string name, IReadOnlySet<string> parameters)
    {
        var named = name.Length > 100 ? name[..100] + "…" : name;
        var takes = parameters.Count == 0 ? "takes no query parameters" : $"takes {string.Join(", ", parameters.Order(StringComparer.Ordinal))}";
        return new ProblemException(StatusCodes.Status400BadRequest, Code, $"The query parameter '{named}' is not one this route takes; it {takes}.")
        {
            Extensions = new Dictionary<string, object?> { ["parameter"] = named },
        };
    }
}
