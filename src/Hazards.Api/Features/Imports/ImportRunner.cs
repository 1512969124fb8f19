using System.Threading.Channels;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>Wakes the runner's workers when an import is queued; which one runs next, the imports table says.</summary>
public sealed class ImportQueue
{
    private readonly Channel<Guid> channel = Channel.CreateUnbounded<Guid>();

    public void Enqueue(Guid id) => channel.Writer.TryWrite(id);

    /// <summary>Waits for an import queued in this process, or for <paramref name="poll"/> (one queued by another).</summary>
    public async Task Wait(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try
        {
            await channel.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed: look at the table again.
        }
    }
}

/// <summary>
/// Runs imports in the background as their importer: the same rules as if they sent each row by hand. Several at once
/// (<see cref="ImportOptions.Workers"/>), each worker taking the oldest queued import that waits for no import into an
/// overlapping part of the hierarchy (<see cref="ImportStore.Next"/>): one township's large import holds one worker while
/// the other townships' imports run beside it, and imports into one subtree still run one after another, in the order
/// they were queued (org units before the people placed in them). At start it fails the imports a stopped process left
/// running (their staging is discarded).
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
        while (!stoppingToken.IsCancellationRequested)
        {
            Guid? id = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<DbSession>().Query<Guid>(ImportStore.Next, null, stoppingToken) is [var next, ..])
                {
                    id = next;
                    var row = await scope.ServiceProvider.GetRequiredService<ImportStore>().Find(next, stoppingToken);
                    var actor = await scope.ServiceProvider.GetRequiredService<UserDirectory>().Find(row!.CreatedBy, stoppingToken);
                    await scope.ServiceProvider.GetRequiredService<ImportProcessor>().RunQueued(next, actor, stoppingToken);
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Import {Id} could not be run", id);
            }

            await queue.Wait(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
