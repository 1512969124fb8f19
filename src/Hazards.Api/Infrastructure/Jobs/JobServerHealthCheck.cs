using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hazards.Api.Infrastructure.Jobs;

/// <summary>On a job instance, ready also means this machine's Hangfire server sent a heartbeat lately.</summary>
public sealed class JobServerHealthCheck(JobStorage storage) : IHealthCheck
{
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var mine = storage.GetMonitoringApi().Servers()
            .Where(s => s.Name.StartsWith(Environment.MachineName.ToLowerInvariant(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        var heartbeat = mine.Select(s => s.Heartbeat).Where(h => h is not null).Max();
        // Hangfire stamps heartbeats with the machine's clock, so they are compared with it, not the service's TimeProvider.
        return Task.FromResult(heartbeat is { } beat && DateTime.UtcNow - DateTime.SpecifyKind(beat, DateTimeKind.Utc) < Stale
            ? HealthCheckResult.Healthy($"job server heartbeat at {beat:O}")
            : HealthCheckResult.Unhealthy(mine.Count == 0 ? "no job server of this instance is registered" : "the job server's heartbeat is stale"));
    }
}
