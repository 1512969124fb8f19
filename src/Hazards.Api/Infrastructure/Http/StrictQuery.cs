using System.Collections.Frozen;
using Hazards.Api.Infrastructure.Errors;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Hazards.Api.Infrastructure.Http;

/// <summary>
/// A query parameter the endpoint does not bind is refused: <c>?code=</c> on a list that cannot
/// filter by code must not answer everything as if it had. The parameters each endpoint takes are the ones the API
/// explorer describes for it (its handler's query parameters, <c>[AsParameters]</c> records expanded), so the
/// document and this check cannot disagree. Endpoints the explorer does not describe (the job dashboard, whose token
/// may come in its query) are left alone. On the others no query or route value is longer than
/// <see cref="MaxValueLength"/>, so every parameter has a bound the document can state; routes with a tighter bound
/// check their own.
/// </summary>
public static class StrictQuery
{
    public const string Code = "query.unknown_parameter";
    public const string TooLongCode = "query.value_too_long";
    public const int MaxValueLength = 200;

    /// <summary>Must run after routing, so that the endpoint is known.</summary>
    public static IApplicationBuilder UseStrictQuery(this IApplicationBuilder app)
    {
        var known = new Lazy<FrozenDictionary<string, FrozenSet<string>>>(() =>
            Index(app.ApplicationServices.GetRequiredService<IApiDescriptionGroupCollectionProvider>()));
        return app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.DisplayName is not { } name || !known.Value.TryGetValue(name, out var parameters))
            {
                return next(http);
            }

            if (TooLong(http) is { } longOne)
            {
                throw new ProblemException(StatusCodes.Status400BadRequest, TooLongCode,
                    $"The parameter '{longOne}' is longer than {MaxValueLength} characters.")
                {
                    Extensions = new Dictionary<string, object?> { ["parameter"] = longOne },
                };
            }

            if (http.Request.Query.Keys.FirstOrDefault(k => !parameters.Contains(k)) is { } unknown)
            {
                throw Unknown(unknown, parameters);
            }

            return next(http);
        });
    }

    private static string? TooLong(HttpContext http)
    {
        foreach (var (name, values) in http.Request.Query)
        {
            if (values.Any(v => v?.Length > MaxValueLength))
            {
                return Named(name);
            }
        }

        return http.Request.RouteValues.FirstOrDefault(r => r.Value is string { Length: > MaxValueLength }).Key;
    }

    private static string Named(string name) => name.Length > 100 ? name[..100] + "…" : name;

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
        var named = Named(name);
        var takes = parameters.Count == 0 ? "takes no query parameters" : $"takes {string.Join(", ", parameters.Order(StringComparer.Ordinal))}";
        return new ProblemException(StatusCodes.Status400BadRequest, Code, $"The query parameter '{named}' is not one this route takes; it {takes}.")
        {
            Extensions = new Dictionary<string, object?> { ["parameter"] = named },
        };
    }
}
