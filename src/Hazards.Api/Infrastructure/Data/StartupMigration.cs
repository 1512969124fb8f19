namespace Hazards.Api.Infrastructure.Data;

/// <summary>Applies pending migrations before the server takes requests (turn off with Database:MigrateOnStart=false).</summary>
public sealed class StartupMigration(Migrator migrator, DatabaseOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.MigrateOnStart)
        {
            await migrator.Migrate(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
