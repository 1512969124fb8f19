using System.Net.Http.Headers;
using Hazards.Api.Infrastructure.Auth;
using Hazards.Api.Infrastructure.Cli;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Hazards.Api.Tests.Support;

/// <summary>
/// The real service on a real, freshly migrated SQLite file of its own; only the clock is replaced.
/// </summary>
public sealed class HazardsApp : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> settings;

    public HazardsApp(IDictionary<string, string?>? overrides = null, DateTimeOffset? start = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "hazards-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "hazards.db");
        Clock = new FakeTimeProvider(start ?? DefaultStart);
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Hazards"] = $"Data Source={DatabasePath}",
            ["Database:Provider"] = "Sqlite",
            ["Jobs:Enabled"] = "false",
            ["Attachments:Root"] = Path.Combine(Folder, "attachments"),
            ["Email:PickupDirectory"] = Path.Combine(Folder, "mail"),

            // Tests write far faster than any person; the rate limit's own tests set it low.
            ["Writes:PermitsPerMinute"] = "1000000",
            ["Writes:AnonymousPermitsPerMinute"] = "1000000",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public FakeTimeProvider Clock { get; }

    public string ConnectionString => $"Data Source={DatabasePath}";

    /// <summary>Loads the demo through the service's own seed command.</summary>
    public async Task<HazardsApp> WithDemo()
    {
        await Services.GetRequiredService<DemoSeeder>().Seed(CancellationToken.None);
        return this;
    }

    public HttpClient ClientFor(string? login)
    {
        var client = CreateClient();
        if (login is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(login));
        }

        return client;
    }

    public string TokenFor(string login, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<TokenIssuer>().Issue(login, lifetime);

    /// <summary>Changes the database directly, to arrange what a test's subject does not cover (a person moved or deactivated elsewhere).</summary>
    public async Task Exec(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await Dapper.SqlMapper.ExecuteAsync(connection, sql, args);
    }

    /// <summary>Reads the database directly, for assertions only.</summary>
    public async Task<long> Count(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, args);
    }

    /// <summary>Reads one text value from the database, for assertions only.</summary>
    public async Task<string> Text(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, sql, args) ?? "";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp folder's own clean-up.
        }
    }
}
