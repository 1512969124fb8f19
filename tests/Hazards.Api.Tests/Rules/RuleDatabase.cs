using Hazards.Api.Infrastructure.Data;
using Hazards.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hazards.Api.Tests.Rules;

/// <summary>Runs statements through the service's own <see cref="DbSession"/>, so parameters bind as in production.</summary>
internal static class RuleDatabase
{
    public static async Task<IReadOnlyList<T>> Query<T>(HazardsApp app, Sql sql, object args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        return await db.Query<T>(sql, args, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="write"/>, reads <paramref name="read"/> in the same transaction, and rolls it all back.</summary>
    public static async Task<IReadOnlyList<T>> WriteThenRead<T>(HazardsApp app, Sql write, Sql read, object args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DbSession>();
        await db.Begin(CancellationToken.None);
        try
        {
            await db.Execute(write, args, CancellationToken.None);
            return await db.Query<T>(read, args, CancellationToken.None);
        }
        finally
        {
            await db.Rollback();
        }
    }
}
