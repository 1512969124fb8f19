using Dapper;
using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Infrastructure.Pipeline;

/// <summary>A sweep's session widens SQLite's page cache for itself only: the pooled connection gets its size back.</summary>
public sealed class DbSessionCacheTests
{
    private HazardsApp app = null!;

    [SetUp]
    public void Start() => app = new HazardsApp(new Dictionary<string, string?> { ["Database:SqliteBulkCacheKiB"] = "65536" });

    [TearDown]
    public void Stop() => app.Dispose();

    [Test]
    public async Task WidenCache_LastsForTheSession_ThenThePooledConnectionHasItsFormerSize()
    {
        var before = await CacheSize(widen: false);

        var during = await CacheSize(widen: true);
        var after = await CacheSize(widen: false);

        Assert.That(before, Is.Not.EqualTo(-65536));
        Assert.That(during, Is.EqualTo(-65536));
        Assert.That(after, Is.EqualTo(before));
    }

    private async Task<long> CacheSize(bool widen)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<DbSession>();
        if (widen)
        {
            await session.WidenCache(CancellationToken.None);
        }

        var connection = await session.Connection(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("PRAGMA cache_size");
    }
}
