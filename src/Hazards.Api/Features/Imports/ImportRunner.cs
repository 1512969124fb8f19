using System.Threading.Channels;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>The queue of imports waiting for the runner of this process.</summary>
public sealed class ImportQueue
{
    private readonly Channel<Guid> channel = Channel.CreateUnbounded<Guid>();

    public void Enqueue(Guid id) => channel.Writer.TryWrite(id);

    public IAsyncEnumerable<Guid> Reader(CancellationToken ct) => channel.Reader.ReadAllAsync(ct);
}

/// <summary>
/// Runs imports in the background as their importer: the same rules as if they sent each row by hand. Several at once
/// (<see cref="ImportOptions.Workers"/>), each worker taking the next queued import, so that one caller's large import
/// holds one worker and the others' imports go on beside it. At start it fails the imports a stopped process left
/// running (their staging is discarded) and runs the queued ones.
/// </summary>
public sealed class ImportRunner(IServiceScopeFactory scopes, ImportQueue queue, ImportOptions options, ILogger<ImportRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DbSession>();
            foreach (var id in await db.Query<Guid>(ImportStore.Interrupted, null, stoppingToken))
            {
                await scope.ServiceProvider.GetRequiredService<ImportProcessor>().Abandon(id, stoppingToken);
            }

            foreach (var id in await db.Query<Guid>(ImportStore.Waiting, null, stoppingToken))
            {
                queue.Enqueue(id);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store not migrated yet (Database:MigrateOnStart=false) must not stop the service: new imports still run.
            logger.LogWarning(ex, "Imports left queued or running were not taken up at start");
        }

        await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => Work(stoppingToken)));
    }

    private async Task Work(CancellationToken stoppingToken)
    {
        await foreach (var id in queue.Reader(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var row = await scope.ServiceProvider.GetRequiredService<ImportStore>().Find(id, stoppingToken);
                if (row is null || row.State != "queued")
                {
                    continue;
                }

                var actor = await scope.ServiceProvider.GetRequiredService<UserDirectory>().Find(row.CreatedBy, stoppingToken);
                await scope.ServiceProvider.GetRequiredService<ImportProcessor>().RunQueued(id, actor, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Import {Id} could not be run", id);
            }
        }
    }
}
