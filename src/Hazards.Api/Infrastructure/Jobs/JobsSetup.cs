using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.SqlServer;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Infrastructure.Mail;
using Hazards.Domain.Calendar;
using Microsoft.Data.SqlClient;

namespace Hazards.Api.Infrastructure.Jobs;

public sealed class JobsOptions
{
    /// <summary>Runs the Hangfire server here, when the instance has the jobs role; off in tests.</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>The real resolution of a recurring job's schedule.</summary>
    [Range(1, 3600)]
    public int SchedulePollingSeconds { get; set; } = 15;

    /// <summary>Serve the dashboard at /hangfire outside Development (always on in Development; city admins only).</summary>
    public bool Dashboard { get; set; }

    /// <summary>Run every sweep once at start, to catch up after downtime.</summary>
    public bool RunAtStart { get; set; } = true;
}

/// <summary>
/// Where this instance stands towards the job server, from its settings, its roles and its database: whether it runs
/// the server (<see cref="JobsOptions.Enabled"/> and the jobs role), and whether jobs enqueued here reach the job
/// instances through a shared store (SQL Server).
/// </summary>
public sealed record JobServerPlacement(bool RunsServer, bool SharedStorage);

public static class JobsSetup
{
    public static IServiceCollection AddHazardsJobs(this IServiceCollection services, IConfiguration configuration, DatabaseOptions database, ServiceRoles roles)
    {
        var options = services.AddStartupOptions(configuration, "Jobs", new JobsOptions());
        var placement = new JobServerPlacement(options.Enabled && roles.Jobs, database.Provider == SqlDialect.SqlServer);
        services.AddSingleton(placement);
        services.AddScoped<SweepJob>();
        services.AddSingleton<IMailWakeUp, MailDispatchWakeUp>();
        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == SqlDialect.SqlServer)
            {
                config.UseSqlServerStorage(() => new SqlConnection(database.ConnectionString), new SqlServerStorageOptions
                {
                    SchemaName = "HangFire",
                    PrepareSchemaIfNecessary = true,
                    SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                    QueuePollInterval = TimeSpan.Zero,
                    UseRecommendedIsolationLevel = true,
                    DisableGlobalLocks = true,
                });
            }
            else
            {
                config.UseInMemoryStorage();
            }
        });

        if (placement.RunsServer)
        {
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(options.SchedulePollingSeconds);
            });
            services.AddHostedService<RecurringJobsRegistrar>();
            services.AddHealthChecks().AddCheck<JobServerHealthCheck>("jobs", tags: ["ready"]);
        }

        return services;
    }
}

/// <summary>Registers the recurring sweeps under their stable ids in Asia/Shanghai and runs each once at start.</summary>
public sealed class RecurringJobsRegistrar(IRecurringJobManager recurring, IBackgroundJobClient jobs, JobsOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var job in JobCatalog.All)
        {
            var name = job.Name;
            recurring.AddOrUpdate<SweepJob>(name, j => j.Run(name, CancellationToken.None), job.Cron,
                new RecurringJobOptions { TimeZone = ChinaTime.Zone });
            if (options.RunAtStart)
            {
                jobs.Enqueue<SweepJob>(j => j.Run(name, CancellationToken.None));
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
