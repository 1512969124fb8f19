using Hazards.Api.Infrastructure;
using Hazards.Api.Infrastructure.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hazards.Bench;

/// <summary>
/// The service's own container, composed the way <c>Program.cs</c> composes it, on one SQLite file and a
/// settable clock. The web server is never started: the benchmark calls the services directly.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private const string SigningKey = "hazards-bench-signing-key-not-for-production-0123456789";

    private readonly WebApplication app;

    private ServiceHost(WebApplication app, SettableClock clock)
    {
        this.app = app;
        Clock = clock;
    }

    public SettableClock Clock { get; }

    public IServiceProvider Services => app.Services;

    public static ServiceHost Start(string databasePath, DateTimeOffset now)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hazards"] = ConnectionString(databasePath),
            ["Database:Provider"] = "Sqlite",
            ["Database:MigrateOnStart"] = "false",
            ["Auth:SigningKey"] = SigningKey,
            ["Email:BaseUrl"] = "https://hazards.bench.example",
            ["Jobs:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hazards.Api.Features.Imports.ImportProcessor"] = "Information",
        });
        builder.Services.AddHazards(builder.Configuration, builder.Environment);
        var clock = new SettableClock(now);
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        return new ServiceHost(builder.Build(), clock);
    }

    public static string ConnectionString(string databasePath) => $"Data Source={databasePath}";

    /// <summary>Creates the file and applies every migration with the service's own <see cref="Migrator"/>.</summary>
    public static async Task Migrate(string databasePath, CancellationToken ct)
    {
        await using var host = Start(databasePath, DateTimeOffset.UtcNow);
        await host.Services.GetRequiredService<Migrator>().Migrate(ct);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
