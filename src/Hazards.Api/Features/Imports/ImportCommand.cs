using Hazards.Api.Features.Places;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Data;

namespace Hazards.Api.Features.Imports;

/// <summary>
/// An import run in this process rather than by the background runner: the <c>import</c> command of the binary (the
/// first load of a city) and <c>seed-demo</c>. The same checks, the same queue row, the same processor.
/// </summary>
public static class ImportCommand
{
    public static async Task<ImportView> Run(IServiceProvider services, Actor actor, Guid id, ImportKind kind, bool dryRun, string fileName, CancellationToken ct)
    {
        var options = services.GetRequiredService<ImportOptions>();
        var clock = services.GetRequiredService<TimeProvider>();
        var db = services.GetRequiredService<DbSession>();
        var (format, _) = ImportEndpoints.CheckFile(ImportProcessor.FilePath(options, id), kind, services.GetRequiredService<LocationOptions>(),
            services.GetRequiredService<SpreadsheetLimits>());
        await db.RunInTransaction(async () =>
        {
            await StartImportHandler.Queue(db, actor, new StartImportCommand(id, kind, dryRun, fileName, format), clock.GetUtcNow(), ct);
            await db.Execute(ImportStore.Claim, new { Id = id, At = clock.GetUtcNow() }, ct);
        }, ct);

        await services.GetRequiredService<ImportProcessor>().Run(id, actor, ct);
        var row = (await services.GetRequiredService<ImportStore>().Find(id, ct))!;
        return await GetImportHandler.Build(db, row, 200, null, clock.GetUtcNow(), ct);
    }
}
