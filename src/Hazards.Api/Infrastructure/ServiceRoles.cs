namespace Hazards.Api.Infrastructure;

/// <summary>
/// What this instance does (<c>Roles</c>: <c>api</c>, <c>jobs</c>, or both, the default). API instances
/// serve the HTTP surface and run no job server; job instances run the sweeps and serve only health.
/// </summary>
public sealed record ServiceRoles(bool Api, bool Jobs)
{
    public static ServiceRoles From(IConfiguration configuration)
    {
        var text = configuration["Roles"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ServiceRoles(Api: true, Jobs: true);
        }

        var roles = text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant()).ToHashSet();
        var unknown = roles.Except(["api", "jobs"]).ToList();
        if (unknown.Count > 0 || roles.Count == 0)
        {
            throw new InvalidOperationException($"Roles must be 'api', 'jobs' or 'api,jobs'; got '{text}'.");
        }

        return new ServiceRoles(roles.Contains("api"), roles.Contains("jobs"));
    }
}
